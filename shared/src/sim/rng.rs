//! Seeded randomness split into independent streams.
//!
//! Every component (rosters, schedule, each game, each game's lines) draws from its own stream
//! derived from the league seed and a label, so that changing how one part draws never shifts
//! the numbers of another part, and a game can be re-drawn alone with the same result.
//!
//! The generator is our own xoshiro256++ rather than `StdRng`: `StdRng`'s algorithm may change
//! between `rand` releases (which would silently change every simulated season), and ChaCha is
//! slow in unoptimised builds where tests generate whole seasons.

use rand::{Rng, RngCore};

/// xoshiro256++ (Blackman & Vigna): small, fast, and fixed forever.
#[derive(Clone, Debug)]
pub struct SimRng {
    s: [u64; 4],
}

impl SimRng {
    pub fn from_seed(seed: u64) -> Self {
        let mut z = seed;
        let mut s = [0u64; 4];
        for x in &mut s {
            z = splitmix(z);
            *x = z;
        }
        Self { s }
    }
}

impl RngCore for SimRng {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let out = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// A stream for `label` (and an index) under `seed`.
pub fn stream(seed: u64, label: &str, index: u64) -> SimRng {
    let mut h = splitmix(seed ^ 0x5EED_0F1E_A60E);
    for b in label.bytes() {
        h = splitmix(h ^ u64::from(b));
    }
    h = splitmix(h ^ index);
    SimRng::from_seed(h)
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Standard normal by Box–Muller: two uniforms, no extra dependency.
pub fn normal(rng: &mut SimRng, mean: f64, sd: f64) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random::<f64>();
    mean + sd * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Poisson by inversion; the means here are small (a player's attempts in one game).
pub fn poisson(rng: &mut SimRng, mean: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    if mean > 60.0 {
        return normal(rng, mean, mean.sqrt()).round().max(0.0) as u32;
    }
    let l = (-mean).exp();
    let mut k = 0u32;
    let mut p = 1.0;
    loop {
        p *= rng.random::<f64>();
        if p <= l {
            return k;
        }
        k += 1;
    }
}

/// True with probability `p`.
pub fn chance(rng: &mut SimRng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// An index drawn with probability proportional to `weights` (all zero: the first).
pub fn weighted(rng: &mut SimRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return 0;
    }
    let mut x = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len().saturating_sub(1)
}

/// Uniform in `[lo, hi)`.
pub fn uniform(rng: &mut SimRng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_stable_and_distinct() {
        let a: u64 = stream(7, "x", 1).random();
        let b: u64 = stream(7, "x", 1).random();
        let c: u64 = stream(7, "x", 2).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn poisson_mean_is_close() {
        let mut r = stream(1, "p", 0);
        let n = 20_000;
        let s: u32 = (0..n).map(|_| poisson(&mut r, 4.5)).sum();
        let m = f64::from(s) / f64::from(n);
        assert!((m - 4.5).abs() < 0.1, "{m}");
    }
}
