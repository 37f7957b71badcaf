//! Small descriptive statistics shared by the phases that summarise history (3 and 4), so that
//! "the average of the last ten" means the same thing in every table.

pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Sample standard deviation (n − 1); `None` below two values.
pub fn std_dev(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs)?;
    Some((xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt())
}

/// Median of the values (mean of the middle two for an even count).
pub fn median(xs: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

/// Least-squares slope of `ys` against 0, 1, 2, … (oldest first): change per step. `None`
/// below two values.
pub fn slope(ys: &[f64]) -> Option<f64> {
    if ys.len() < 2 {
        return None;
    }
    let xs: Vec<f64> = (0..ys.len()).map(|i| i as f64).collect();
    let (mx, my) = (mean(&xs)?, mean(ys)?);
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    Some(sxy / sxx)
}

/// `part / whole`, `None` when `whole` is zero.
pub fn share(part: f64, whole: f64) -> Option<f64> {
    (whole != 0.0).then(|| part / whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_by_hand() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[24.5, 25.5]), Some(25.0));
        assert_eq!(median(&[]), None);
        assert_eq!(mean(&[1.0, 2.0, 3.0]), Some(2.0));
        assert!((std_dev(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap() - 2.138_089_935).abs() < 1e-6);
        assert_eq!(std_dev(&[1.0]), None);
        assert_eq!(slope(&[10.0, 12.0, 14.0]), Some(2.0));
        // 20, 10, 30: x̄ = 1, ȳ = 20, Sxy = (−1)(0) + 0 + (1)(10) = 10, Sxx = 2.
        assert_eq!(slope(&[20.0, 10.0, 30.0]), Some(5.0));
        assert_eq!(slope(&[7.0]), None);
        assert_eq!(share(1.0, 4.0), Some(0.25));
        assert_eq!(share(1.0, 0.0), None);
    }
}
