//! Prints how long one estimate takes, with and without user inputs
//! (`cargo run --release -p reset-estimator --example speed`).
use std::time::Instant;

fn main() {
    let inputs = ["u-1042", "Diane Prescott", "diane@contoso.com", "Contoso"];
    let base = "correct-Horse7battery!staple-Quokka9-".repeat(8);
    reset_estimator::estimate("warm-up", &inputs);
    for n in [8, 16, 32, 64, 128, 256] {
        let p: String = base.chars().take(n).collect();
        let time = |inputs: &[&str]| {
            let mut samples: Vec<f64> = (0..9)
                .map(|_| {
                    let t = Instant::now();
                    reset_estimator::estimate(&p, inputs);
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
            samples[4]
        };
        println!(
            "{n:>4} chars: {:>7.3} ms without user inputs, {:>7.3} ms with",
            time(&[]),
            time(&inputs)
        );
    }
}
