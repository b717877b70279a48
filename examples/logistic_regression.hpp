#pragma once
// The model random_search evaluates: scikit-learn's LogisticRegression(C=C) objective,
//   minimize  0.5 * |w|^2 + C * sum_i [ log(1 + exp(z_i)) - y_i z_i ],   z_i = w . x_i + b,
// with the intercept b unpenalized, solved by Newton's method with a backtracking line
// search until the gradient has fallen by 1e-9 or the step is at rounding level (the
// optimum to the precision of double sums, not an approximation). Also the
// z-scoring and contiguous k-fold cross-validation the example uses.
#include <cmath>
#include <cstddef>
#include <stdexcept>
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

inline double log1p_exp(double z) {
    return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}
inline double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
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

/// Fits on x (rows of features) and y (0/1); throws if Newton's method fails to converge.
inline model fit_logistic(const matrix& x, const std::vector<double>& y, double c) {
    const std::size_t d = x.cols, p = d + 1;  // parameters: weights, then intercept
    std::vector<double> theta(p, 0.0);
    auto objective = [&](const std::vector<double>& t) {
        double f = 0;
        for (std::size_t k = 0; k < d; ++k) f += 0.5 * t[k] * t[k];
        double loss = 0;
        for (std::size_t i = 0; i < x.rows; ++i) {
            double z = t[d];
            for (std::size_t k = 0; k < d; ++k) z += t[k] * x.row(i)[k];
            loss += log1p_exp(z) - y[i] * z;
        }
        return f + c * loss;
    };
    double f = objective(theta);
    double initial_norm = 0;
    for (int iteration = 0; iteration < 200; ++iteration) {
        std::vector<double> g(p, 0.0), h(p * p, 0.0);
        for (std::size_t i = 0; i < x.rows; ++i) {
            const double* xi = x.row(i);
            double z = theta[d];
            for (std::size_t k = 0; k < d; ++k) z += theta[k] * xi[k];
            const double s = sigmoid(z), r = c * (s - y[i]), w = c * s * (1 - s);
            for (std::size_t a = 0; a < p; ++a) {
                const double xa = a < d ? xi[a] : 1.0;
                g[a] += r * xa;
                for (std::size_t b = 0; b <= a; ++b) h[a * p + b] += w * xa * (b < d ? xi[b] : 1.0);
            }
        }
        double norm = 0;
        for (std::size_t k = 0; k < d; ++k) {
            g[k] += theta[k];
            h[k * p + k] += 1.0;
        }
        for (double v : g) norm = std::max(norm, std::fabs(v));
        if (iteration == 0) initial_norm = norm;
        // Converged when the gradient has fallen nine orders of magnitude (below that it is
        // rounding noise of the sums), or the Newton step is at rounding level.
        if (norm <= 1e-9 * initial_norm) return model{{theta.begin(), theta.begin() + static_cast<long>(d)}, theta[d]};
        for (std::size_t a = 0; a < p; ++a)
            for (std::size_t b = a + 1; b < p; ++b) h[a * p + b] = h[b * p + a];
        const std::vector<double> step = solve_spd(h, g, p);
        // Newton's decrement g.step / 2 estimates how far f is above its minimum: once that is
        // below double precision's resolution of f, this is the optimum.
        double decrement = 0;
        for (std::size_t k = 0; k < p; ++k) decrement += g[k] * step[k];
        if (decrement / 2 <= 1e-14 * std::max(1.0, std::fabs(f))) {
            return model{{theta.begin(), theta.begin() + static_cast<long>(d)}, theta[d]};
        }
        // Newton converges quadratically: once its step is at rounding level, this is the optimum.
        double step_size = 0, scale = 1;
        for (std::size_t k = 0; k < p; ++k) {
            step_size = std::max(step_size, std::fabs(step[k]));
            scale = std::max(scale, std::fabs(theta[k]));
        }
        if (step_size <= 1e-10 * scale) {
            for (std::size_t k = 0; k < p; ++k) theta[k] -= step[k];
            return model{{theta.begin(), theta.begin() + static_cast<long>(d)}, theta[d]};
        }
        double t = 1.0;
        bool improved = false;
        for (int halvings = 0; halvings < 40; ++halvings) {  // backtracking: Armijo on the objective
            std::vector<double> trial(p);
            double slope = 0;
            for (std::size_t k = 0; k < p; ++k) {
                trial[k] = theta[k] - t * step[k];
                slope += g[k] * step[k];
            }
            const double ft = objective(trial);
            if (ft <= f - 1e-4 * t * slope) {
                theta = trial;
                f = ft;
                improved = true;
                break;
            }
            t *= 0.5;
        }
        // No step along Newton's direction lowers the objective any more in double precision:
        // this is the optimum as far as it can be computed.
        if (!improved) return model{{theta.begin(), theta.begin() + static_cast<long>(d)}, theta[d]};
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
    matrix train{n - (hi - lo), d, {}}, test{hi - lo, d, {}};
    std::vector<double> ytrain;
    for (std::size_t i = 0; i < n; ++i) {
        matrix& into = (i >= lo && i < hi) ? test : train;
        for (std::size_t j = 0; j < d; ++j) into.data.push_back((x.row(i)[j] - mean[j]) / sd[j]);
        if (!(i >= lo && i < hi)) ytrain.push_back(y[i]);
    }
    const model m = fit_logistic(train, ytrain, c);
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
