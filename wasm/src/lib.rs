//! placeholder until the wasm helper lands
