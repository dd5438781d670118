//! The random numbers of the synthetic county.
//!
//! Takes a seed (and, for independent streams, a stream name and an index)
//! and gives a deterministic sequence: SplitMix64, integer arithmetic only,
//! so the same seed gives the same county on every machine, with every
//! crate version and every thread count. Floating point appears only in
//! comparisons against a rate, which IEEE 754 makes exact; nothing here
//! calls a transcendental function whose last bit may differ between
//! platforms.

/// SplitMix64 (Steele, Lea and Flood 2014): one 64-bit state, a fixed
/// increment and a good finaliser. Fast, small and well distributed, which
/// is all a synthetic county needs.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of a stream name: a stable number for a label.
fn label_hash(label: &str) -> u64 {
    label.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng {
            state: mix(seed ^ 0x5EED_0F00_B1D0_0001),
        }
    }

    /// An independent stream for one part of the work (`"village"`, 17): its
    /// numbers depend on the seed, the label and the index only, never on
    /// the order in which the parts are generated.
    pub fn stream(seed: u64, label: &str, index: u64) -> Rng {
        let a = mix(seed.wrapping_add(GAMMA));
        let b = mix(a ^ label_hash(label));
        Rng {
            state: mix(b ^ index.wrapping_mul(GAMMA)),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix(self.state)
    }

    /// A number in `0..n` (`0` when `n` is 0), by a 128-bit multiply.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An index into a slice of `len` items.
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// A number in `[0, 1)` with 53 random bits (exact, no rounding).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// An index drawn with the given integer weights (`0` if all are zero).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        if total == 0 {
            return 0;
        }
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        weights.len() - 1
    }

    /// A bell-shaped integer around `mean` with spread about `sd` (the sum
    /// of four uniforms: no logarithms, so the same on every platform),
    /// clamped to `lo..=hi`.
    pub fn bell(&mut self, mean: i64, sd: i64, lo: i64, hi: i64) -> i64 {
        // The sum of 4 uniforms on [-1, 1] has standard deviation 2/sqrt(3).
        let sum: i64 = (0..4).map(|_| self.range(-1000, 1000)).sum();
        let value = mean + sum * sd * 866 / 2_000_000;
        value.clamp(lo, hi)
    }

    /// Shuffles a slice in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        let mut c = Rng::new(8);
        assert_ne!(a[0], c.next_u64());
        // Streams depend on label and index, not on the order of creation.
        let mut s1 = Rng::stream(7, "village", 3);
        let mut s2 = Rng::stream(7, "village", 4);
        let mut s3 = Rng::stream(7, "village", 3);
        let x = s1.next_u64();
        assert_ne!(x, s2.next_u64());
        assert_eq!(x, s3.next_u64());
        assert_ne!(
            Rng::stream(7, "village", 3).next_u64(),
            Rng::stream(7, "inject", 3).next_u64()
        );
    }

    #[test]
    fn ranges_and_weights_stay_in_bounds() {
        let mut r = Rng::new(1);
        let mut seen = [0u32; 3];
        for _ in 0..30_000 {
            let v = r.range(-2, 5);
            assert!((-2..=5).contains(&v));
            assert!(r.below(10) < 10);
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            seen[r.weighted(&[1, 0, 3])] += 1;
            let b = r.bell(30, 5, 20, 40);
            assert!((20..=40).contains(&b));
        }
        assert_eq!(seen[1], 0);
        // 1:3 within a generous margin.
        assert!(seen[2] > seen[0] * 2 && seen[2] < seen[0] * 4, "{seen:?}");
        assert_eq!(r.weighted(&[0, 0]), 0);
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn bell_is_centred() {
        let mut r = Rng::new(3);
        let n = 20_000;
        let sum: i64 = (0..n).map(|_| r.bell(100, 10, 0, 200)).sum();
        let mean = sum / n;
        assert!((98..=102).contains(&mean), "{mean}");
    }
}
