// zxcvbn's clock (its `custom_wasm_env` feature, see Cargo.toml of the
// estimator): milliseconds since the epoch, as the u64 the module imports.
// zxcvbn reads it for the current year (recent years are easy to guess).
export const unix_time_milliseconds_imported = () => BigInt(Date.now());
