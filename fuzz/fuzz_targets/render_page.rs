#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| piaoyan_fuzz::bodies::render_page(data));
