// zxcvbn's clock (its `custom_wasm_env` feature, see Cargo.toml of the
// estimator): milliseconds since the epoch, as the u64 the module imports.
// zxcvbn reads it once for the current year (recent years are easy to guess)
// and twice per estimate to time it. Monotonic, unlike Date.now(): a clock
// set back between those two reads would underflow zxcvbn's subtraction.
export const unix_time_milliseconds_imported = () =>
  BigInt(Math.round(performance.timeOrigin + performance.now()));
