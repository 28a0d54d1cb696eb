//! Certificates, CMS and signature primitives.
