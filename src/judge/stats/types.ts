// Vocabulary shared by the tests, with SciPy's meaning of each alternative.

/**
 * 'greater': the first sample tends to be larger (its CDF lies below the second's somewhere, for
 * Kolmogorov-Smirnov: SciPy's convention is the reverse — see ks-2samp.ts); 'less': smaller;
 * 'two-sided': either.
 */
export type Alternative = 'two-sided' | 'less' | 'greater';

export type OneSided = 'less' | 'greater';
