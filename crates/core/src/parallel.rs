//! Work spread over all cores with the `parallel` feature (the CLI), and done
//! in order on one thread without it (the browser, whose parallelism is its
//! pool of workers, one province each).

/// `f(index, x)` for every x, in the order of `xs`.
pub(crate) fn map<T: Sync, U: Send>(xs: &[T], f: impl Fn(usize, &T) -> U + Sync + Send) -> Vec<U> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        xs.par_iter().enumerate().map(|(i, x)| f(i, x)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        xs.iter().enumerate().map(|(i, x)| f(i, x)).collect()
    }
}
