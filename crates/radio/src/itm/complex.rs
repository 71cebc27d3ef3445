//! The few complex operations ITM needs (ground impedance and the two-ray sum).

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Complex {
    pub re: f64,
    pub im: f64,
}

impl Complex {
    pub const fn new(re: f64, im: f64) -> Self {
        Complex { re, im }
    }
    pub fn abs(self) -> f64 {
        self.re.hypot(self.im)
    }
    pub fn norm_sqr(self) -> f64 {
        self.re * self.re + self.im * self.im
    }
    /// Principal square root (non-negative real part), as C++'s `std::sqrt`.
    pub fn sqrt(self) -> Self {
        let r = self.abs();
        if r == 0.0 {
            return Complex::new(0.0, 0.0);
        }
        let re = ((r + self.re) * 0.5).sqrt();
        let im = ((r - self.re) * 0.5).sqrt();
        Complex::new(re, if self.im < 0.0 { -im } else { im })
    }
    pub fn scale(self, k: f64) -> Self {
        Complex::new(self.re * k, self.im * k)
    }
}

impl std::ops::Add for Complex {
    type Output = Complex;
    fn add(self, o: Complex) -> Complex {
        Complex::new(self.re + o.re, self.im + o.im)
    }
}

impl std::ops::Sub for Complex {
    type Output = Complex;
    fn sub(self, o: Complex) -> Complex {
        Complex::new(self.re - o.re, self.im - o.im)
    }
}

impl std::ops::Div for Complex {
    type Output = Complex;
    fn div(self, o: Complex) -> Complex {
        let d = o.norm_sqr();
        Complex::new(
            (self.re * o.re + self.im * o.im) / d,
            (self.im * o.re - self.re * o.im) / d,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqrt_squares_back() {
        for z in [
            Complex::new(14.0, 0.6),
            Complex::new(-3.0, 4.0),
            Complex::new(2.0, -7.5),
        ] {
            let s = z.sqrt();
            let back = Complex::new(s.re * s.re - s.im * s.im, 2.0 * s.re * s.im);
            assert!((back.re - z.re).abs() < 1e-12 && (back.im - z.im).abs() < 1e-12);
            assert!(s.re >= 0.0);
        }
        let q = Complex::new(1.0, 2.0) / Complex::new(3.0, -1.0);
        assert!((q.re - 0.1).abs() < 1e-15 && (q.im - 0.7).abs() < 1e-15);
    }
}
