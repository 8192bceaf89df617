"""IRT speed: one graded-response-model fit on 150,000 respondents x 8 five-category items.

Simulates the answers (seed 1: slopes U(0.8, 2.0), ordered intercepts, theta ~ N(0, 1)), then
times, from one run: coding and grouping into distinct patterns; the marginal-ML fit itself
(BFGS on the marginal log-likelihood); the observed-information standard errors (central
differences of the analytic gradient); and the whole ``fit_graded`` call (fit, SEs, EAP scores,
information, marginal reliability, S-X2). The floor is the time of one vectorised
log-likelihood-and-gradient pass (one E-step over all patterns; the fastest of seven) times the number of such passes
the fit needed; the ratio fit / floor is the optimizer's overhead. Also prints the largest
parameter error against the simulating values. No assertions.

    python bench/bench_irt.py [--respondents 150000] [--items 8] [--categories 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd


def simulate(n: int, n_items: int, n_categories: int, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.8, 2.0, n_items)
    d = -np.sort(rng.normal(0.0, 1.2, (n_items, n_categories - 1)), axis=1)
    theta = rng.standard_normal(n)
    answers = np.empty((n, n_items))
    for j in range(n_items):
        p = 1.0 / (1.0 + np.exp(-(a[j] * theta[:, None] + d[j][None, :])))
        answers[:, j] = (rng.random(n)[:, None] < p).sum(axis=1) + 1
    return pd.DataFrame(answers, columns=[f"item{j + 1}" for j in range(n_items)]), a, d


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=150_000)
    parser.add_argument("--items", type=int, default=8)
    parser.add_argument("--categories", type=int, default=5)
    args = parser.parse_args()

    from scoring.stats.irt import fit_graded
    from scoring.stats.irt.mml import MarginalModel, start_values
    from scoring.stats.irt.responses import code_items, group_patterns

    frame, a, d = simulate(args.respondents, args.items, args.categories)
    print(f"data: {args.respondents} respondents x {args.items} items with {args.categories} categories")

    t0 = time.perf_counter()
    coded = code_items(frame)
    patterns = group_patterns(coded.codes)
    t_prep = time.perf_counter() - t0
    model = MarginalModel(patterns, coded.n_categories)
    print(f"coding + grouping: {t_prep:.2f} s -> {len(patterns.counts)} distinct patterns")

    x0 = model.pack(start_values(coded.codes, coded.n_categories))
    model.loglik_grad(x0)  # warm-up
    passes = []
    for _ in range(7):
        t0 = time.perf_counter()
        model.loglik_grad(x0)
        passes.append(time.perf_counter() - t0)
    # the fastest of seven: the floor is what one pass costs on a quiet machine
    t_pass = float(np.min(passes))
    print(f"one log-likelihood + gradient pass (E-step): {t_pass * 1000:.1f} ms "
          f"(fastest of 7; median {np.median(passes) * 1000:.1f} ms)")

    t0 = time.perf_counter()
    fit = model.fit(x0, se=False)
    t_fit = time.perf_counter() - t0
    print(f"fit (BFGS, no SEs): {t_fit:.2f} s, {fit.iterations} iterations, {fit.evaluations} passes, "
          f"converged = {fit.converged}, log-likelihood = {fit.loglik:.3f}")
    print(f"  floor = passes x pass time = {fit.evaluations * t_pass:.2f} s; ratio fit / floor = "
          f"{t_fit / (fit.evaluations * t_pass):.2f}")

    t0 = time.perf_counter()
    model.hessian(model.pack(fit.estimates))
    t_hess = time.perf_counter() - t0
    n_passes = 2 * model.n_params
    print(f"observed information for SEs: {t_hess:.2f} s ({n_passes} passes; floor {n_passes * t_pass:.2f} s, "
          f"ratio {t_hess / (n_passes * t_pass):.2f})")

    t0 = time.perf_counter()
    result = fit_graded(frame)
    t_total = time.perf_counter() - t0
    err_a = np.max(np.abs(result.parameters["a"].to_numpy() - a))
    err_d = np.max(np.abs(result.parameters[[f"d{k}" for k in range(1, args.categories)]].to_numpy() - d))
    print(f"time per fit (fit_graded: fit, SEs, EAP, information, reliability, S-X2): {t_total:.2f} s")
    print(f"  max |a - true| = {err_a:.3f}, max |d - true| = {err_d:.3f}, "
          f"marginal reliability = {result.marginal_reliability:.3f}")


if __name__ == "__main__":
    main()
