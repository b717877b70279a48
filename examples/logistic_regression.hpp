#pragma once
// The model random_search evaluates: scikit-learn's LogisticRegression(C=C) objective,
//   minimize  0.5 * |w|^2 + C * sum_i [ log(1 + exp(z_i)) - y_i z_i ],   z_i = w . x_i + b,
// with the intercept b unpenalized, solved by Newton's method with a backtracking line
// search until the gradient has fallen by 1e-9 or the step is at rounding level (the
// optimum to the precision of double sums, not an approximation). Also the
// z-scoring and contiguous k-fold cross-validation the example uses.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace example {

struct matrix {  // row-major
    std::size_t rows = 0, cols = 0;
    std::vector<double> data;
    double* row(std::size_t r) { return data.data() + r * cols; }
    const double* row(std::size_t r) const { return data.data() + r * cols; }
};

// Solves a x = b for symmetric positive definite a (n x n, row-major) by Cholesky; a is overwritten.
inline std::vector<double> solve_spd(std::vector<double> a, std::vector<double> b, std::size_t n) {
    for (std::size_t j = 0; j < n; ++j) {
        double d = a[j * n + j];
        for (std::size_t k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
        if (d <= 0) throw std::runtime_error("Hessian is not positive definite");
        d = std::sqrt(d);
        a[j * n + j] = d;
        for (std::size_t i = j + 1; i < n; ++i) {
            double s = a[i * n + j];
            for (std::size_t k = 0; k < j; ++k) s -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = s / d;
        }
    }
    for (std::size_t i = 0; i < n; ++i) {  // forward: L y = b
        for (std::size_t k = 0; k < i; ++k) b[i] -= a[i * n + k] * b[k];
        b[i] /= a[i * n + i];
    }
    for (std::size_t i = n; i-- > 0;) {  // back: L^T x = y
        for (std::size_t k = i + 1; k < n; ++k) b[i] -= a[k * n + i] * b[k];
        b[i] /= a[i * n + i];
    }
    return b;
}

// The Hessian's inner loop, compiled twice where the compiler can: for AVX2 with FMA (four
// doubles an instruction) and for the baseline, the better chosen when the program starts.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define EXAMPLE_VECTOR_CLONES __attribute__((target_clones("arch=haswell", "default")))
#else
#define EXAMPLE_VECTOR_CLONES
#endif

/// h (p x p, lower triangle) += sum_i w[i] x_i x_i^T over the n rows x_i of x (row-major). Four
/// rows a pass, so each load and store of h carries four multiply-adds.
EXAMPLE_VECTOR_CLONES static void add_weighted_gram(const double* x, const double* w, std::size_t n, std::size_t p,
                                                    double* h) {
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const double *x0 = x + i * p, *x1 = x0 + p, *x2 = x1 + p, *x3 = x2 + p;
        for (std::size_t a = 0; a < p; ++a) {
            const double w0 = w[i] * x0[a], w1 = w[i + 1] * x1[a], w2 = w[i + 2] * x2[a], w3 = w[i + 3] * x3[a];
            double* ha = h + a * p;
            for (std::size_t b = 0; b <= a; ++b) ha[b] += w0 * x0[b] + w1 * x1[b] + w2 * x2[b] + w3 * x3[b];
        }
    }
    for (; i < n; ++i) {
        const double* xi = x + i * p;
        for (std::size_t a = 0; a < p; ++a) {
            const double wa = w[i] * xi[a];
            double* ha = h + a * p;
            for (std::size_t b = 0; b <= a; ++b) ha[b] += wa * xi[b];
        }
    }
}

/// out[i] = x_i . v for the n rows of x (row-major, p columns); four rows at a time, so that
/// four sums run at once instead of one chain of dependent additions.
inline void multiply(const matrix& x, const std::vector<double>& v, std::vector<double>& out) {
    const std::size_t n = x.rows, p = x.cols;
    out.resize(n);
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const double *x0 = x.row(i), *x1 = x0 + p, *x2 = x1 + p, *x3 = x2 + p;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (std::size_t k = 0; k < p; ++k) {
            s0 += x0[k] * v[k];
            s1 += x1[k] * v[k];
            s2 += x2[k] * v[k];
            s3 += x3[k] * v[k];
        }
        out[i] = s0;
        out[i + 1] = s1;
        out[i + 2] = s2;
        out[i + 3] = s3;
    }
    for (; i < n; ++i) {
        double s = 0;
        for (std::size_t k = 0; k < p; ++k) s += x.row(i)[k] * v[k];
        out[i] = s;
    }
}

struct model {
    std::vector<double> weights;  // one per feature
    double intercept = 0;
    double decision(const double* x) const {
        double z = intercept;
        for (std::size_t k = 0; k < weights.size(); ++k) z += weights[k] * x[k];
        return z;
    }
};

/// Fits on a design matrix whose last column is all ones (the intercept's, unpenalized) and
/// y (0/1); throws if Newton's method fails to converge.
inline model fit_logistic_design(const matrix& x, const std::vector<double>& y, double c) {
    const std::size_t n = x.rows, p = x.cols, d = p - 1;
    std::vector<double> theta(p, 0.0), z(n, 0.0), xs, trial_z(n);
    // e[i] = exp(-|z_i|): the loss log(1 + exp(z)) and the sigmoid both follow from it, so each
    // evaluation of the objective leaves what the next gradient needs.
    std::vector<double> e(n), trial_e(n);
    auto loss_at = [&](const std::vector<double>& t, const std::vector<double>& zs, std::vector<double>& es) {
        double penalty = 0, loss = 0;
        for (std::size_t k = 0; k < d; ++k) penalty += 0.5 * t[k] * t[k];
        for (std::size_t i = 0; i < n; ++i) {
            es[i] = std::exp(-std::fabs(zs[i]));
            loss += std::max(zs[i], 0.0) + std::log1p(es[i]) - y[i] * zs[i];
        }
        return penalty + c * loss;
    };
    double f = loss_at(theta, z, e);
    double initial_norm = 0;
    std::vector<double> g(p), h(p * p), r(n), w(n), trial(p);
    auto result = [&] { return model{{theta.begin(), theta.begin() + static_cast<long>(d)}, theta[d]}; };
    for (int iteration = 0; iteration < 200; ++iteration) {
        std::fill(g.begin(), g.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            const double s = z[i] >= 0 ? 1 / (1 + e[i]) : e[i] / (1 + e[i]);
            r[i] = c * (s - y[i]);
            w[i] = c * s * (1 - s);
            const double* xi = x.row(i);
            for (std::size_t k = 0; k < p; ++k) g[k] += r[i] * xi[k];
        }
        double norm = 0;
        for (std::size_t k = 0; k < d; ++k) g[k] += theta[k];
        for (double v : g) norm = std::max(norm, std::fabs(v));
        if (iteration == 0) initial_norm = norm;
        // Converged when the gradient has fallen nine orders of magnitude (below that it is
        // rounding noise of the sums).
        if (norm <= 1e-9 * initial_norm) return result();
        std::fill(h.begin(), h.end(), 0.0);
        add_weighted_gram(x.data.data(), w.data(), n, p, h.data());
        for (std::size_t k = 0; k < d; ++k) h[k * p + k] += 1.0;
        for (std::size_t a = 0; a < p; ++a)
            for (std::size_t b = a + 1; b < p; ++b) h[a * p + b] = h[b * p + a];
        const std::vector<double> step = solve_spd(h, g, p);
        // Newton's decrement g.step / 2 estimates how far f is above its minimum: once that is
        // below double precision's resolution of f, this is the optimum.
        double decrement = 0;
        for (std::size_t k = 0; k < p; ++k) decrement += g[k] * step[k];
        if (decrement / 2 <= 1e-14 * std::max(1.0, std::fabs(f))) return result();
        // Newton converges quadratically: once its step is at rounding level, this is the optimum.
        double step_size = 0, scale = 1;
        for (std::size_t k = 0; k < p; ++k) {
            step_size = std::max(step_size, std::fabs(step[k]));
            scale = std::max(scale, std::fabs(theta[k]));
        }
        if (step_size <= 1e-10 * scale) {
            for (std::size_t k = 0; k < p; ++k) theta[k] -= step[k];
            return result();
        }
        multiply(x, step, xs);  // z moves along -t * xs, so a trial costs no product with x
        double t = 1.0;
        bool improved = false;
        for (int halvings = 0; halvings < 40; ++halvings) {  // backtracking: Armijo on the objective
            for (std::size_t k = 0; k < p; ++k) trial[k] = theta[k] - t * step[k];
            for (std::size_t i = 0; i < n; ++i) trial_z[i] = z[i] - t * xs[i];
            const double ft = loss_at(trial, trial_z, trial_e);
            if (ft <= f - 1e-4 * t * decrement) {
                theta.swap(trial);
                z.swap(trial_z);
                e.swap(trial_e);
                f = ft;
                improved = true;
                break;
            }
            t *= 0.5;
        }
        // No step along Newton's direction lowers the objective any more in double precision:
        // this is the optimum as far as it can be computed.
        if (!improved) return result();
    }
    throw std::runtime_error("logistic regression did not converge in 200 Newton steps (C=" + std::to_string(c) + ")");
}

/// Mean accuracy over contiguous folds: fold k holds rows [k*n/F, (k+1)*n/F). Features are
/// z-scored with the training rows' mean and population standard deviation (1 if constant).
/// Accuracy on fold k of `folds` contiguous folds, of a model fitted on the other folds
/// (z-scored with the training folds' mean and standard deviation).
inline double fold_accuracy(const matrix& x, const std::vector<double>& y, double c, std::size_t folds, std::size_t k) {
    const std::size_t n = x.rows, d = x.cols;
    if (folds < 2 || folds > n) throw std::runtime_error("need 2 <= folds <= rows");
    const std::size_t lo = k * n / folds, hi = (k + 1) * n / folds;
    std::vector<double> mean(d, 0.0), sd(d, 0.0);
    const double train_rows = static_cast<double>(n - (hi - lo));
    for (std::size_t i = 0; i < n; ++i) {
        if (i >= lo && i < hi) continue;
        for (std::size_t j = 0; j < d; ++j) mean[j] += x.row(i)[j];
    }
    for (auto& m : mean) m /= train_rows;
    for (std::size_t i = 0; i < n; ++i) {
        if (i >= lo && i < hi) continue;
        for (std::size_t j = 0; j < d; ++j) sd[j] += (x.row(i)[j] - mean[j]) * (x.row(i)[j] - mean[j]);
    }
    for (auto& s : sd) s = s > 0 ? std::sqrt(s / train_rows) : 1.0;
    // The training rows get a last column of ones: the intercept's.
    matrix train{n - (hi - lo), d + 1, {}}, test{hi - lo, d, {}};
    train.data.reserve(train.rows * train.cols);
    test.data.reserve(test.rows * test.cols);
    std::vector<double> ytrain;
    for (std::size_t i = 0; i < n; ++i) {
        const bool testing = i >= lo && i < hi;
        matrix& into = testing ? test : train;
        for (std::size_t j = 0; j < d; ++j) into.data.push_back((x.row(i)[j] - mean[j]) / sd[j]);
        if (!testing) {
            train.data.push_back(1.0);
            ytrain.push_back(y[i]);
        }
    }
    const model m = fit_logistic_design(train, ytrain, c);
    std::size_t correct = 0;
    for (std::size_t i = lo; i < hi; ++i) {
        const double predicted = m.decision(test.row(i - lo)) > 0 ? 1.0 : 0.0;  // sklearn: > 0 is class 1
        correct += predicted == y[i];
    }
    return static_cast<double>(correct) / static_cast<double>(hi - lo);
}

/// The mean of the folds' accuracies, added in fold order (so that a search that scores the
/// folds on several ranks reports the same number to the last bit).
inline double mean_in_fold_order(const std::vector<double>& accuracies) {
    double sum = 0;
    for (double a : accuracies) sum += a;
    return sum / static_cast<double>(accuracies.size());
}

/// Cross-validated accuracy of C over `folds` contiguous folds.
inline double cross_validate(const matrix& x, const std::vector<double>& y, double c, std::size_t folds) {
    std::vector<double> accuracies;
    for (std::size_t k = 0; k < folds; ++k) accuracies.push_back(fold_accuracy(x, y, c, folds, k));
    return mean_in_fold_order(accuracies);
}

}  // namespace example
