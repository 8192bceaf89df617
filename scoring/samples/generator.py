"""Synthetic sample data with known structure: an organisation, staff answers, client feedback.

:func:`generate_sample` builds a fictional Norwegian organisation and simulates what Samklima
would collect from it. Everything is drawn from one ``np.random.default_rng(seed)`` and is
vectorised over respondents, so the same seed gives byte-identical files and 150 000
respondents take seconds. Items, subscales, reverse keys and response limits come from the
bundled instruments, so the data follow the YAML files.

The organisation (``units``)
    One *region* per 60 leaf units: a kommune with the tjenesteområder "Helse og omsorg" and
    "Psykisk helse og rus", their enheter (home-care zones, nursing homes, ...) and, for some
    enheter, teams; a DPS with avdelinger; and three partner services (fastleger,
    tildelingskontor, NAV) that receive no answers but can be rated. Staff belong to leaves.

Staff answers (``responses``, ``headcount``)
    Headcount per leaf is stable over rounds: 2-40 people at the default size (the upper
    limit grows to twice the mean when many respondents share few units); about 15 % of the
    leaves have 2-4, so that anonymity rules have something to suppress. Each round 50-90 %
    answer, allocated so that the total is exactly ``respondents``.

    Items follow a bifactor model per instrument. For respondent *i* and item *j* of
    subscale *s*::

        y_ij = lg_j * G_i + ls_j * S_is + sqrt(1 - lg_j^2 - ls_j^2) * e_ij

    with general loadings ``lg`` drawn from U(.55, .65) and group loadings ``ls`` from
    U(.35, .45), the same for every seed, so that alpha per subscale is about .75-.80 and
    omega-hierarchical is meaningful. ``G`` is the collaboration factor for
    samhandlingsklima and the co-determination factor for medbestemmelse; the two correlate
    .5 at both the unit and the person level. Of each factor's variance (1), 10 % is a
    stable unit effect and 2 % a unit-by-round effect (group factors: 5 % unit), which gives
    ICC(1) of about .08 on the sk_total mean. ``G`` rises linearly by 0.10 per round
    (medbestemmelse 0.06), leaders rate higher, and ratings about a named partner are lower
    (fastleger and NAV most). The latent responses are cut at thresholds spread evenly from
    -2.1 to 0.8 (moved by an item offset from U(-.25, .25)) into the response codes;
    reverse-keyed items are then mirrored, (min + max) - code, so the files hold answers as
    respondents give them. About 3 % of the answers are "vet ikke" (the scale's missing
    code; 7 % on the items of sk_forank, mb_styring and mb_tillit) and about 2 % are blank
    (skipped items and some break-offs).

Client feedback (``feedback``)
    ``respondents // 10`` clients in psychiatric, substance-use, DPS and home-care units,
    each with one clinician (a unit has one per eight clients), a contact every week or so
    on working days, and four outcome (fu_) and four visit (fs_) items from 0 to 10 with
    one decimal. Outcome totals start at about 20; 60 % of the clients improve by about 10
    points, 25 % stall and 15 % deteriorate. Visit totals are mostly 32-40; 15 % of the
    clients give all tens every time (politeness) and some give low ratings (more often
    those who deteriorate). Clients have 3-12 contacts; about one in eight drops out after
    one or two, more often after a low visit rating.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.errors import Problem, UserError
from scoring.formats.tables import write_csv
from scoring.instrument.background import background_choices, default_staff_instruments
from scoring.samples.defaults import DEFAULT_RESPONDENTS, DEFAULT_ROUNDS, DEFAULT_SEED, DEFAULT_UNITS

# The default staff instruments, in form order; the random stream (and so every committed sample
# file) depends on this order.
STAFF_INSTRUMENTS = default_staff_instruments()
OUTCOME_INSTRUMENT = "feedback-utfall"
VISIT_INSTRUMENT = "feedback-samtale"

FIRST_ROUND_YEAR = 2024

UNITS_COLUMNS = ["unit", "name", "parent", "unit_type"]

# the background questions' stored codes, from instruments/background/staff.yaml
ROLES = background_choices()["role"]
TENURES = background_choices()["tenure"]  # years in the unit
POSITIONS = background_choices()["position"]  # position size, percent of full time

# --- the organisation -------------------------------------------------------------------------

LEAVES_PER_REGION = 60
DPS_SHARE = 0.25  # of a region's leaves
MENTAL_HEALTH_SHARE = 0.30  # of a kommune's leaves

_PLACE_PREFIXES = (
    "Fjord", "Lyng", "Berg", "Ås", "Stor", "Vind", "Furu", "Myr", "Kvit", "Bjørke", "Sol", "Hav", "Skog", "Elve",
)  # fmt: skip
_PLACE_SUFFIXES = ("vik", "set", "voll", "mark", "lia", "nes", "dal", "heim", "stad", "bø")


@dataclass(frozen=True)
class _Kind:
    """A kind of enhet or avdeling: id code, name pattern with fillers, and its team labels."""

    code: str
    pattern: str
    fillers: tuple[str, ...]
    teams: tuple[str, ...] = ()

    def name(self, k: int) -> str:
        filler = self.fillers[k % len(self.fillers)]
        lap = k // len(self.fillers)
        return self.pattern.format(filler) + (f" {lap + 1}" if lap else "")


_SYKEHJEM = ("Fjordtun", "Solbakken", "Lyngheim", "Furulund", "Bjørkely", "Åstun", "Havgløtt", "Lindely")
_HOME_CARE = _Kind("hj", "Hjemmetjenesten sone {}", ("Nord", "Sør", "Øst", "Vest", "Sentrum", "Indre", "Ytre"),
                   ("dagteam 1", "dagteam 2", "kveldsteam", "nattpatruljen"))  # fmt: skip
_CARE_KINDS = (  # tjenesteområde "Helse og omsorg", cycled in this order
    _HOME_CARE,
    _Kind("shj", "{} sykehjem", _SYKEHJEM, ("1. etasje", "2. etasje", "skjermet enhet", "korttidsavdelingen")),
    _HOME_CARE,
    _Kind("bof", "Bofellesskapet {}", ("Granveien", "Bakkeveien", "Kirkegata", "Strandveien", "Lia"),
          ("dagtjenesten", "kveldstjenesten", "våken natt", "avlastningen")),
    _Kind("rehab", "Hverdagsrehabilitering {}", ("Nord", "Sør", "Øst", "Vest"),
          ("ergo- og fysioterapi", "hjemmetrening")),
)  # fmt: skip
_MENTAL_HEALTH_KINDS = (  # tjenesteområde "Psykisk helse og rus"
    _Kind("ph", "Psykisk helsetjeneste {}", ("voksne", "barn og unge"),
          ("oppfølgingsteamet", "lavterskelteamet", "boligteamet")),
    _Kind("rus", "Rustjenesten {}", ("Sentrum", "Nord", "Sør"), ("oppfølgingsteamet", "boligteamet")),
    _Kind("bo", "Bo- og oppfølgingstjenesten {}", ("Sentrum", "Nord", "Sør")),
    _Kind("akt", "Aktivitetshuset {}", ("Sentrum", "Nord", "Sør")),
)  # fmt: skip
_DPS_KINDS = tuple(  # avdelinger of a DPS, each used once (then numbered sections)
    _Kind(code, name, ("",))
    for code, name in (
        ("pol", "Allmennpsykiatrisk poliklinikk{}"),
        ("dogn", "Døgnavdelingen{}"),
        ("akutt", "Ambulant akutteam{}"),
        ("rus", "Rus- og avhengighetspoliklinikken{}"),
        ("psykose", "Psykoseteamet{}"),
        ("ung", "Poliklinikk for unge voksne{}"),
        ("traume", "Traumepoliklinikken{}"),
        ("dag", "Dagbehandlingen{}"),
    )
)
# Team counts an enhet gets (0: the enhet is itself a leaf) and how often.
_TEAM_COUNTS = np.array([0, 2, 3, 4])
_TEAM_COUNT_P = np.array([0.35, 0.30, 0.20, 0.15])


@dataclass
class _Tree:
    """The unit table under construction plus what the simulation needs about each leaf."""

    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    leaf_ids: list[str] = field(default_factory=list)
    leaf_region: list[int] = field(default_factory=list)
    leaf_profile: list[int] = field(default_factory=list)  # index into _PROFILES
    leaf_kind: list[str] = field(default_factory=list)
    # per region: [dps, fastleger, tildeling, nav] (fastleger twice in a region without DPS)
    partners: list[list[str]] = field(default_factory=list)
    home_care: list[list[str]] = field(default_factory=list)  # per region: home-care enheter

    def add(self, unit: str, name: str, parent: str, unit_type: str) -> str:
        self.rows.append((unit, name, parent, unit_type))
        return unit

    def add_leaf(self, unit: str, region: int, profile: str, kind: str) -> None:
        self.leaf_ids.append(unit)
        self.leaf_region.append(region)
        self.leaf_profile.append(_PROFILES.index(profile))
        self.leaf_kind.append(kind)


_PROFILES = ("omsorg", "psykisk", "dps")  # staff mix and feedback use differ between these


def place_name(region: int) -> str:
    """A fictional place name; distinct for the first 140 regions, numbered after that."""
    n_pre, n_suf = len(_PLACE_PREFIXES), len(_PLACE_SUFFIXES)
    lap, k = divmod(region, n_pre * n_suf)
    prefix, rot = k % n_pre, k // n_pre
    name = _PLACE_PREFIXES[prefix] + _PLACE_SUFFIXES[(prefix + rot) % n_suf]
    return name + (f" {lap + 1}" if lap else "")


def _split(total: int, shares: list[float]) -> list[int]:
    """Split ``total`` into parts proportional to ``shares`` (largest remainders)."""
    raw = np.asarray(shares, dtype=float) / sum(shares) * total
    parts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - parts), kind="stable")[: total - parts.sum()]:
        parts[i] += 1
    return parts.tolist()


def _add_service_area(tree, rng, parent, region, profile, kinds, n_leaves) -> None:
    """Enheter under one tjenesteområde (or avdelinger under a DPS) until ``n_leaves`` leaves."""
    counters: dict[str, int] = {}
    k = 0
    while n_leaves > 0:
        kind = kinds[k % len(kinds)]
        k += 1
        serial = counters.get(kind.code, 0)
        counters[kind.code] = serial + 1
        unit = f"{parent}.{kind.code}" + ("" if profile == "dps" else str(serial + 1))
        name = kind.name(serial)
        unit_type = "avdeling" if profile == "dps" else "enhet"
        tree.add(unit, name, parent, unit_type)
        if kind.code == "hj":
            tree.home_care[region].append(unit)
        n_teams = int(rng.choice(_TEAM_COUNTS, p=_TEAM_COUNT_P)) if kind.teams else 0
        n_teams = min(n_teams, len(kind.teams), n_leaves)
        if n_teams < 2:  # a single team is just the enhet
            tree.add_leaf(unit, region, profile, kind.code)
            n_leaves -= 1
            continue
        for t in range(n_teams):
            team = tree.add(f"{unit}.t{t + 1}", f"{name}, {kind.teams[t]}", unit, "team")
            tree.add_leaf(team, region, profile, kind.code)
        n_leaves -= n_teams


def _dps_kinds(n: int) -> tuple[_Kind, ...]:
    """The named DPS avdelinger, then numbered sections once the names run out."""
    extra = tuple(_Kind(f"s{i + 1}", f"Seksjon {i + 1}{{}}", ("",)) for i in range(max(0, n - len(_DPS_KINDS))))
    return _DPS_KINDS + extra


def build_units(n_leaves: int, rng: np.random.Generator) -> _Tree:
    """The fictional organisation with exactly ``n_leaves`` leaf units that receive answers.

    One region per :data:`LEAVES_PER_REGION` leaves. In a region, a quarter of the leaves are
    DPS avdelinger (none below three leaves); of the kommune's leaves, 30 % are in "Psykisk
    helse og rus" (none below three) and the rest in "Helse og omsorg". An enhet gets 0 or
    2-4 teams; without teams it is a leaf itself.
    """
    tree = _Tree()
    n_regions = math.ceil(n_leaves / LEAVES_PER_REGION)
    for region, size in enumerate(_split(n_leaves, [1.0] * n_regions)):
        tree.home_care.append([])
        place = place_name(region)
        n_dps = max(1, round(DPS_SHARE * size)) if size >= 3 else 0
        n_kommune = size - n_dps
        n_mental = round(MENTAL_HEALTH_SHARE * n_kommune) if n_kommune >= 3 else 0

        kommune = tree.add(f"k{region + 1}", f"{place} kommune", "", "kommune")
        care = tree.add(f"{kommune}.ho", f"Helse og omsorg, {place}", kommune, "tjenesteomrade")
        _add_service_area(tree, rng, care, region, "omsorg", _CARE_KINDS, n_kommune - n_mental)
        if n_mental:
            mental = tree.add(f"{kommune}.phr", f"Psykisk helse og rus, {place}", kommune, "tjenesteomrade")
            _add_service_area(tree, rng, mental, region, "psykisk", _MENTAL_HEALTH_KINDS, n_mental)
        dps = None
        if n_dps:
            dps = tree.add(f"d{region + 1}", f"{place} DPS", "", "dps")
            _add_service_area(tree, rng, dps, region, "dps", _dps_kinds(n_dps), n_dps)
        fastleger = tree.add(f"fastleger{region + 1}", f"Fastlegene i {place}", "", "partner")
        tildeling = tree.add(f"tildeling{region + 1}", f"Tildelingskontoret i {place}", "", "partner")
        nav = tree.add(f"nav{region + 1}", f"NAV {place}", "", "partner")
        tree.partners.append([dps or fastleger, fastleger, tildeling, nav])
        if not tree.home_care[region]:
            tree.home_care[region].append(care)
    return tree


# --- who answers ------------------------------------------------------------------------------

SMALL_UNIT_SHARE = 0.15  # leaves with a headcount of 2-4
RESPONSE_RATE = (0.5, 0.9)  # uniform per unit and round
MAX_HEADCOUNT = 40  # at the default size; raised when respondents per unit demand it


def draw_headcounts(n_units: int, mean_size: float, rng: np.random.Generator) -> np.ndarray:
    """Invited staff per leaf, stable over rounds: 2-4 for about 15 % of the leaves, else 5-40.

    Sizes are log-normal (sigma .6) scaled so that their mean is ``mean_size``. When that
    mean is above 20 the upper limit grows to twice the mean.
    """
    cap = max(MAX_HEADCOUNT, math.ceil(2 * mean_size))
    n_small = math.ceil(SMALL_UNIT_SHARE * n_units) if n_units >= 3 else 0
    small = np.zeros(n_units, dtype=bool)
    small[rng.permutation(n_units)[:n_small]] = True
    sizes = np.empty(n_units, dtype=np.int64)
    sizes[small] = rng.integers(2, 5, size=n_small)
    weights = rng.lognormal(0.0, 0.6, size=n_units - n_small)
    lower = min(5, cap)
    target = max(mean_size * n_units - sizes[small].sum(), lower * weights.size)
    scale = target / max(weights.sum(), 1e-12)
    for _ in range(8):  # fixed point: clipping changes the total
        large = np.clip(np.rint(weights * scale), lower, cap)
        scale *= target / large.sum()
    sizes[~small] = np.clip(np.rint(weights * scale), lower, cap)
    return sizes


def allocate(targets: np.ndarray, lower: np.ndarray, upper: np.ndarray, total: int) -> np.ndarray:
    """Integers close to ``targets`` within ``lower..upper`` that sum exactly to ``total``.

    Rounds down, then adds (or removes) one at a time where the rounding lost (or gained) most.
    """
    if not lower.sum() <= total <= upper.sum():
        raise ValueError(f"cannot allocate {total} between {lower.sum()} and {upper.sum()}")
    counts = np.clip(np.floor(targets), lower, upper).astype(np.int64)
    while (gap := total - int(counts.sum())) != 0:
        if gap > 0:
            room = np.flatnonzero(counts < upper)
            order = room[np.argsort(-(targets[room] - counts[room]), kind="stable")]
            counts[order[:gap]] += 1
        else:
            room = np.flatnonzero(counts > lower)
            order = room[np.argsort(-(counts[room] - targets[room]), kind="stable")]
            counts[order[:-gap]] -= 1
    return counts


def round_labels(n_rounds: int) -> list[str]:
    """Yearly rounds ``2024-1``, ``2025-1``, ... (sortable as text)."""
    return [f"{FIRST_ROUND_YEAR + r}-1" for r in range(n_rounds)]


# Role mix per profile (omsorg, psykisk, dps), in the order of ROLES; normalised when drawn.
_ROLE_MIX = np.array([
    [26, 32, 16, 8, 3, 3, 1, 0, 1, 8, 2],
    [22, 10, 4, 14, 4, 1, 1, 8, 18, 8, 10],
    [28, 6, 2, 6, 4, 2, 12, 20, 10, 6, 4],
], dtype=float)  # fmt: skip
_TENURE_MIX = np.array([12, 18, 25, 22, 23], dtype=float)
# Position size by role: assistants and helsefagarbeidere work part time more often.
_POSITION_MIX = {"assistent": [45, 30, 15, 10], "helsefagarbeider": [12, 35, 30, 23], "leder": [0, 0, 5, 95]}
_POSITION_OTHER = [4, 12, 24, 60]
_ENGLISH_SHARE = np.array([0.04, 0.05, 0.10])  # per profile
PARTNER_SHARE = 0.25  # answers about a named partner service


def draw_categorical(probs: np.ndarray, group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One category index per row, with the row's probabilities ``probs[group]`` (vectorised)."""
    cdf = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(group.size)
    return np.minimum((u[:, None] >= cdf[group]).sum(axis=1), probs.shape[1] - 1)


def draw_background(profile: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Role (by profile), tenure, position size (by role) and language for each respondent."""
    role = draw_categorical(_ROLE_MIX, profile, rng)
    tenure = draw_categorical(_TENURE_MIX[None, :], np.zeros_like(role), rng)
    position_mix = np.array([_POSITION_MIX.get(r, _POSITION_OTHER) for r in ROLES], dtype=float)
    position = draw_categorical(position_mix, role, rng)
    english = rng.random(role.size) < _ENGLISH_SHARE[profile]
    return {
        "role": np.asarray(ROLES, dtype=object)[role],
        "role_index": role,
        "tenure": np.asarray(TENURES, dtype=object)[tenure],
        "position": np.asarray(POSITIONS, dtype=object)[position],
        "language": np.where(english, "en", "nb").astype(object),
    }


# Shift of the collaboration factor when the answers are about a partner, by menu position.
# Kommune staff choose among [DPS, fastleger, tildelingskontor, NAV]; DPS staff among
# [home care, fastleger, tildelingskontor, NAV].
_PARTNER_MENU_P = np.array([[35, 35, 15, 15], [45, 35, 5, 15]], dtype=float)
_PARTNER_SHIFT = {"kommune": np.array([-0.10, -0.30, -0.15, -0.35]), "dps": np.array([-0.20, -0.30, -0.15, -0.35])}


def draw_partners(tree: _Tree, leaf: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The partner each answer is about ('' for most) and the shift it puts on the general factor."""
    n = leaf.size
    region = np.asarray(tree.leaf_region)[leaf]
    is_dps = (np.asarray(tree.leaf_profile) == _PROFILES.index("dps"))[leaf]
    named = rng.random(n) < PARTNER_SHARE
    choice = draw_categorical(_PARTNER_MENU_P, is_dps.astype(np.int64), rng)
    menu = np.asarray(tree.partners, dtype=object)  # regions x 4
    partner = menu[region, choice]
    # DPS staff rate one of the region's home-care enheter instead of "the DPS".
    home_care_flat = np.asarray([u for units in tree.home_care for u in units], dtype=object)
    sizes = np.array([len(units) for units in tree.home_care])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pick = offsets[region] + np.floor(rng.random(n) * sizes[region]).astype(np.int64)
    partner = np.where(is_dps & (choice == 0), home_care_flat[pick], partner)
    shift = np.where(is_dps, _PARTNER_SHIFT["dps"][choice], _PARTNER_SHIFT["kommune"][choice])
    return np.where(named, partner, "").astype(object), np.where(named, shift, 0.0)


# --- the latent model -------------------------------------------------------------------------

GENERAL_LOADING = (0.55, 0.65)
GROUP_LOADING = (0.35, 0.45)
ITEM_OFFSET = 0.25  # item thresholds move by U(-.25, .25)
UNIT_SHARE_GENERAL = 0.10  # stable unit effect, share of the general factor's variance
UNIT_ROUND_SHARE_GENERAL = 0.02  # unit-by-round effect
UNIT_SHARE_GROUP = 0.05
FACTOR_CORRELATION = 0.5  # collaboration vs co-determination, at unit and person level
TREND_PER_ROUND = {"samhandlingsklima": 0.10, "medbestemmelse": 0.06}
LEVEL = {"samhandlingsklima": 0.0, "medbestemmelse": -0.3}  # municipal care is low on co-determination
ROLE_SHIFT = {"samhandlingsklima": {"leder": 0.30}, "medbestemmelse": {"leder": 0.50, "assistent": -0.15}}
THRESHOLD_RANGE = (-2.1, 0.8)  # first and last threshold on the latent scale
MODEL_SEED = 20240501  # loadings and item offsets are the same for every --seed

DONT_KNOW_RATE = 0.02
DONT_KNOW_PRONE_SCALES = {"sk_forank": 0.07, "mb_styring": 0.07, "mb_tillit": 0.07}  # "don't know" more often
SKIP_RATE = 0.010  # blank items, times a person's propensity (exponential, mean 1)
BREAK_OFF_SHARE = 0.025  # stop somewhere in the second half of the questionnaire


@dataclass(frozen=True)
class Structure:
    """Items of one instrument with their group factor and bifactor parameters."""

    items: list[str]
    group: np.ndarray  # group factor index per item, -1 for none
    n_groups: int
    general_loading: np.ndarray
    group_loading: np.ndarray
    offset: np.ndarray
    reverse: np.ndarray
    scale_min: np.ndarray
    scale_max: np.ndarray
    scale_step: np.ndarray
    missing_code: np.ndarray  # the first user-missing code, NaN when the scale has none
    dont_know_rate: np.ndarray


def instrument_structure(inst) -> Structure:
    """Group factors are the instrument's scales that do not cover every item (sk_total does)."""
    items = [item.id for item in inst.items]
    subscales = [s for s in inst.scales if set(s.items) != set(items)]
    group = np.full(len(items), -1)
    rates = np.full(len(items), DONT_KNOW_RATE)
    for g, scale in enumerate(subscales):
        for item_id in scale.items:
            j = items.index(item_id)
            if group[j] < 0:
                group[j] = g
            rates[j] = DONT_KNOW_PRONE_SCALES.get(scale.id, rates[j])
    model_rng = np.random.default_rng([MODEL_SEED, *inst.id.encode()])
    general = model_rng.uniform(*GENERAL_LOADING, size=len(items))
    group_loading = np.where(group >= 0, model_rng.uniform(*GROUP_LOADING, size=len(items)), 0.0)
    scales = [inst.response_scale_of(i) for i in items]
    return Structure(
        items=items,
        group=group,
        n_groups=len(subscales),
        general_loading=general,
        group_loading=group_loading,
        offset=model_rng.uniform(-ITEM_OFFSET, ITEM_OFFSET, size=len(items)),
        reverse=np.array([item.reverse for item in inst.items]),
        scale_min=np.array([s.min for s in scales], dtype=float),
        scale_max=np.array([s.max for s in scales], dtype=float),
        scale_step=np.array([s.step for s in scales], dtype=float),
        missing_code=np.array([min(s.missing) if s.missing else np.nan for s in scales], dtype=float),
        dont_know_rate=rates,
    )


def correlated_normals(n: int, rho: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two standard normal vectors with correlation ``rho``."""
    a = rng.standard_normal(n)
    b = rho * a + math.sqrt(1 - rho**2) * rng.standard_normal(n)
    return a, b


def general_factors(leaf, cell, n_leaves, n_cells, rng) -> tuple[np.ndarray, np.ndarray]:
    """Collaboration and co-determination factors (variance 1 each, correlation .5).

    Each is sqrt(.10) * unit effect + sqrt(.02) * unit-by-round effect + sqrt(.88) * person.
    """
    unit_sk, unit_mb = correlated_normals(n_leaves, FACTOR_CORRELATION, rng)
    cell_sk, cell_mb = correlated_normals(n_cells, FACTOR_CORRELATION, rng)
    person_sk, person_mb = correlated_normals(leaf.size, FACTOR_CORRELATION, rng)
    a, b = math.sqrt(UNIT_SHARE_GENERAL), math.sqrt(UNIT_ROUND_SHARE_GENERAL)
    c = math.sqrt(1 - UNIT_SHARE_GENERAL - UNIT_ROUND_SHARE_GENERAL)
    sk = a * unit_sk[leaf] + b * cell_sk[cell] + c * person_sk
    mb = a * unit_mb[leaf] + b * cell_mb[cell] + c * person_mb
    return sk, mb


def latent_responses(general, leaf, n_leaves, structure: Structure, rng) -> np.ndarray:
    """Continuous responses y (respondents x items) from the bifactor model."""
    unit_group = rng.standard_normal((n_leaves, structure.n_groups))
    person_group = rng.standard_normal((leaf.size, structure.n_groups))
    groups = math.sqrt(UNIT_SHARE_GROUP) * unit_group[leaf] + math.sqrt(1 - UNIT_SHARE_GROUP) * person_group
    uniqueness = np.sqrt(1 - structure.general_loading**2 - structure.group_loading**2)
    noise = rng.standard_normal((leaf.size, len(structure.items)))
    y = general[:, None] * structure.general_loading + uniqueness * noise
    has_group = structure.group >= 0
    y[:, has_group] += groups[:, structure.group[has_group]] * structure.group_loading[has_group]
    return y


def discretise(y: np.ndarray, structure: Structure) -> np.ndarray:
    """Cut latent responses into codes min, min+step, ..., max (agreement with the construct).

    The thresholds are spread evenly over :data:`THRESHOLD_RANGE`, moved by each item's
    offset; the number of categories comes from the item's response scale.
    """
    n_cats = np.rint((structure.scale_max - structure.scale_min) / structure.scale_step) + 1
    first, last = THRESHOLD_RANGE
    spacing = (last - first) / np.maximum(n_cats - 2, 1)
    # With evenly spaced thresholds, the number of thresholds below y is a floor division.
    category = np.clip(np.floor((y - structure.offset - first) / spacing) + 1, 0, n_cats - 1)
    return structure.scale_min + category * structure.scale_step


def as_given(codes: np.ndarray, structure: Structure) -> np.ndarray:
    """Mirror reverse-keyed items, (min + max) - code: the answer a respondent ticks."""
    mirrored = structure.scale_min + structure.scale_max - codes
    return np.where(structure.reverse, mirrored, codes)


def add_missing(answers: np.ndarray, structure: Structure, rng: np.random.Generator) -> np.ndarray:
    """Put in "vet ikke" codes and blanks (NaN); both depend on a person's propensity."""
    n, n_items = answers.shape
    dont_know = rng.random((n, n_items)) < structure.dont_know_rate * rng.gamma(2.0, 0.5, size=(n, 1))
    has_code = ~np.isnan(structure.missing_code)
    answers = np.where(dont_know & has_code, structure.missing_code, answers)
    skipped = rng.random((n, n_items)) < SKIP_RATE * rng.exponential(1.0, size=(n, 1))
    stop = np.where(rng.random(n) < BREAK_OFF_SHARE, rng.integers(n_items // 2, n_items, size=n), n_items)
    skipped |= np.arange(n_items) >= stop[:, None]
    return np.where(skipped, np.nan, answers)


# --- client feedback --------------------------------------------------------------------------

CLIENTS_PER_RESPONDENT = 0.1
CLIENTS_PER_CLINICIAN = 8
TRAJECTORIES = ("improve", "stall", "deteriorate")
TRAJECTORY_SHARE = np.array([0.60, 0.25, 0.15])
OUTCOME_START = (20.0, 3.0)  # mean and sd of the first outcome total (0-40)
OUTCOME_GAIN = {"improve": (10.0, 2.5), "stall": (0.0, 1.2), "deteriorate": (-6.0, 2.0)}
LOW_VISIT_SHARE = np.array([0.08, 0.15, 0.30])  # by trajectory
CEILING_VISIT_SHARE = 0.15  # all tens, every time (politeness)
DROP_OUT_SHARE = (0.08, 0.35)  # after one or two contacts; clients with high / low visit ratings
CONTACTS = (3, 12)
_INTERVAL_WORKDAYS = np.array([2, 3, 4, 5, 6, 7, 10, 15])  # 5 working days = a week
_INTERVAL_P = np.array([2, 4, 5, 60, 5, 5, 14, 5], dtype=float) / 100


@dataclass(frozen=True)
class Clients:
    """One row per client: where, with whom, which course, how many contacts, from when."""

    unit: np.ndarray
    clinician: np.ndarray
    trajectory: np.ndarray  # index into TRAJECTORIES
    visit_type: np.ndarray  # 0 ordinary, 1 ceiling, 2 low
    contacts: np.ndarray
    start_day: np.ndarray  # working days since the first working day of the first round year


def draw_clients(tree: _Tree, headcount: np.ndarray, n_clients: int, n_rounds: int, rng) -> Clients:
    """Clients of units that use feedback (psykisk, DPS, home care), in proportion to headcount.

    A unit has one clinician per :data:`CLIENTS_PER_CLINICIAN` clients (at most its
    headcount); its clients take turns between them.
    """
    profile = np.asarray(tree.leaf_profile)
    uses = (profile != _PROFILES.index("omsorg")) | (np.asarray(tree.leaf_kind) == "hj")
    units = np.flatnonzero(uses) if uses.any() else np.arange(profile.size)
    which = rng.choice(units.size, size=n_clients, p=headcount[units] / headcount[units].sum())
    per_unit = np.bincount(which, minlength=units.size)
    clinicians = np.minimum(np.ceil(per_unit / CLIENTS_PER_CLINICIAN), headcount[units]).astype(np.int64)
    first_clinician = np.cumsum(clinicians) - clinicians
    order = np.argsort(which, kind="stable")
    rank = np.empty(n_clients, dtype=np.int64)  # the client's place among its unit's clients
    rank[order] = np.arange(n_clients) - np.repeat(np.cumsum(per_unit) - per_unit, per_unit)
    clinician = first_clinician[which] + rank % clinicians[which]

    trajectory = rng.choice(len(TRAJECTORIES), size=n_clients, p=TRAJECTORY_SHARE)
    u = rng.random(n_clients)
    low = u < LOW_VISIT_SHARE[trajectory]
    ceiling = ~low & (u < LOW_VISIT_SHARE[trajectory] + CEILING_VISIT_SHARE)
    visit_type = np.where(low, 2, np.where(ceiling, 1, 0))
    contacts = rng.integers(CONTACTS[0], CONTACTS[1] + 1, size=n_clients)
    drops = rng.random(n_clients) < np.where(low, DROP_OUT_SHARE[1], DROP_OUT_SHARE[0])
    contacts = np.where(drops, rng.integers(1, 3, size=n_clients), contacts)

    workdays = 250 * n_rounds
    start_day = rng.integers(5, max(6, workdays - 80), size=n_clients)
    return Clients(units[which], clinician, trajectory, visit_type, contacts, start_day)


def contact_dates(clients: Clients, client: np.ndarray, contact: np.ndarray, rng) -> np.ndarray:
    """Weekly-ish dates per client: mostly five working days apart, never on a weekend."""
    gaps = np.where(contact == 0, 0, rng.choice(_INTERVAL_WORKDAYS, size=client.size, p=_INTERVAL_P))
    running = np.cumsum(gaps)
    first_row = np.flatnonzero(contact == 0)
    workdays = clients.start_day[client] + running - running[first_row][client]
    first_day = np.busday_offset(np.datetime64(f"{FIRST_ROUND_YEAR}-01-01"), 0, roll="forward")
    return np.busday_offset(first_day, workdays)


def _bounded(values: np.ndarray, inst, items: list[str]) -> np.ndarray:
    """Clip to each item's response limits and round to its step."""
    scales = [inst.response_scale_of(i) for i in items]
    low = np.array([s.min for s in scales])
    high = np.array([s.max for s in scales])
    step = np.array([s.step for s in scales])
    return np.round(low + np.rint((np.clip(values, low, high) - low) / step) * step, 10)


def outcome_answers(clients: Clients, client, contact, inst, rng) -> np.ndarray:
    """Outcome items: total = start + gain * (1 - exp(-t / tau)) + noise, items around total / k.

    ``tau`` is U(1.5, 4) contacts; each client answers some items higher than others.
    """
    items = [item.id for item in inst.items]
    k = len(items)
    n_clients = clients.contacts.size
    start = rng.normal(*OUTCOME_START, size=n_clients)
    gain_mean = np.array([OUTCOME_GAIN[t][0] for t in TRAJECTORIES])[clients.trajectory]
    gain_sd = np.array([OUTCOME_GAIN[t][1] for t in TRAJECTORIES])[clients.trajectory]
    gain = rng.normal(gain_mean, gain_sd)
    tau = rng.uniform(1.5, 4.0, size=n_clients)
    total = start[client] + gain[client] * (1 - np.exp(-contact / tau[client])) + rng.normal(0, 1.8, size=client.size)
    item_offset = rng.normal(0, 0.8, size=(n_clients, k))
    item_offset -= item_offset.mean(axis=1, keepdims=True)
    values = (total / k)[:, None] + item_offset[client] + rng.normal(0, 0.5, size=(client.size, k))
    return _bounded(values, inst, items)


def visit_answers(clients: Clients, client, contact, inst, rng) -> np.ndarray:
    """Visit items: ordinary clients about 9 per item (rising slightly), low about 6, ceiling 10."""
    items = [item.id for item in inst.items]
    k = len(items)
    n_clients = clients.contacts.size
    level = np.where(clients.visit_type == 2, rng.normal(6.0, 1.0, n_clients), rng.normal(9.0, 0.5, n_clients))
    clinician_effect = rng.normal(0, 0.3, size=clients.clinician.max() + 1)
    mean = (level + clinician_effect[clients.clinician])[client] + 0.1 * np.minimum(contact, 5)
    values = mean[:, None] + rng.normal(0, 0.3, size=(n_clients, k))[client] + rng.normal(0, 0.4, size=(client.size, k))
    values[clients.visit_type[client] == 1] = np.inf  # clipped to the maximum
    return _bounded(values, inst, items)


def feedback_table(tree: _Tree, headcount: np.ndarray, n_clients: int, n_rounds: int, instruments, rng) -> pd.DataFrame:
    """One row per contact: client, unit, clinician, contact, date, outcome and visit items."""
    outcome, visit = instruments[OUTCOME_INSTRUMENT], instruments[VISIT_INSTRUMENT]
    clients = draw_clients(tree, headcount, n_clients, n_rounds, rng)
    client = np.repeat(np.arange(n_clients), clients.contacts)
    first = np.concatenate([[0], np.cumsum(clients.contacts)[:-1]])
    contact = np.arange(client.size) - first[client]
    dates = contact_dates(clients, client, contact, rng)
    answers = np.hstack([
        outcome_answers(clients, client, contact, outcome, rng),
        visit_answers(clients, client, contact, visit, rng),
    ])  # fmt: skip
    # Client numbers follow the first contact date, like a register would hand them out.
    order = np.argsort(clients.start_day, kind="stable")
    number = np.empty(n_clients, dtype=np.int64)
    number[order] = np.arange(1, n_clients + 1)
    width = max(4, len(str(n_clients)))
    clinician_width = max(2, len(str(clients.clinician.max() + 1)))
    leaf_ids = np.asarray(tree.leaf_ids, dtype=object)
    frame = pd.DataFrame({
        "client": _ids("c", number[client], width),
        "unit": leaf_ids[clients.unit][client],
        "clinician": _ids("kl", clients.clinician[client] + 1, clinician_width),
        "contact": contact + 1,
        "date": dates.astype(str),
    })  # fmt: skip
    columns = [item.id for item in outcome.items] + [item.id for item in visit.items]
    frame = pd.concat([frame, pd.DataFrame(answers, columns=columns)], axis=1)
    sort = np.lexsort((contact, number[client]))
    return frame.iloc[sort].reset_index(drop=True)


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width)).astype(object)


# --- putting it together ----------------------------------------------------------------------


@dataclass
class SampleData:
    """The generated tables; :meth:`write` saves them as CSV files."""

    units: pd.DataFrame
    responses: pd.DataFrame
    feedback: pd.DataFrame
    headcount: pd.DataFrame

    FILES = ("units", "responses", "feedback", "headcount")

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ``units.csv``, ``responses.csv``, ``feedback.csv`` and ``headcount.csv``.

        UTF-8, ``\\n`` line ends, no index; blanks are empty cells. Feedback answers carry one
        decimal. Returns the paths written.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in self.FILES:
            path = out / f"{name}.csv"
            # Fixed decimals, so that the committed files stay byte for byte the same.
            write_csv(getattr(self, name), path, float_format="%.1f" if name == "feedback" else "%.10g")
            paths.append(path)
        return paths


def _check(respondents: int, units: int, rounds: int, seed: int) -> None:
    """Every problem with the arguments at once, named by the command-line option."""
    problems = []
    limits = (("--respondents", respondents, 1), ("--units", units, 1), ("--rounds", rounds, 1), ("--seed", seed, 0))
    for option, value, least in limits:
        if value < least:
            problems.append(Problem(f"must be at least {least} (got {value})", path=option))
    if units >= 1 and respondents < units:
        message = f"must be at least --units ({units}) so that every unit can answer (got {respondents})"
        problems.append(Problem(message, path="--respondents"))
    if problems:
        raise UserError(problems)


def load_instruments() -> dict:
    """The four bundled instruments the sample is generated from."""
    from scoring.instrument.catalog import bundled

    ids = (*STAFF_INSTRUMENTS, OUTCOME_INSTRUMENT, VISIT_INSTRUMENT)
    return {instrument_id: bundled(instrument_id) for instrument_id in ids}


def generate_sample(
    respondents: int = DEFAULT_RESPONDENTS,
    units: int = DEFAULT_UNITS,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
) -> SampleData:
    """Simulate an organisation, its staff survey rounds and its client feedback.

    Parameters
    ----------
    respondents : int
        Total staff responses over all rounds (exactly this many rows in ``responses``).
        Each answers both staff instruments. Must be at least ``units``.
    units : int
        Leaf units that receive answers (teams, avdelinger, enheter without teams).
    rounds : int
        Survey rounds, labelled ``2024-1``, ``2025-1``, ...
    seed : int
        Seed of ``np.random.default_rng``; the same seed gives identical tables.

    Returns
    -------
    SampleData
        ``units`` (unit, name, parent, unit_type), ``responses`` (response, unit, round,
        language, role, tenure, position, sk_partner, then the sk_ and mb_ items as given,
        reverse items not reversed, 9 = "vet ikke", blanks missing), ``feedback`` (client,
        unit, clinician, contact, date, fu_ and fs_ items) and ``headcount`` (unit, round,
        invited).

    Notes
    -----
    The model (bifactor loadings .55-.65 general and .35-.45 group, unit effects for an
    ICC(1) of about .1, a trend of +0.10 SD per round) is described in the module docstring.

    Examples
    --------
    >>> data = generate_sample(respondents=60, units=6, rounds=2, seed=1)
    >>> len(data.responses), sorted(data.responses["round"].unique())
    (60, ['2024-1', '2025-1'])
    """
    _check(respondents, units, rounds, seed)
    instruments = load_instruments()
    rng = np.random.default_rng(seed)

    tree = build_units(units, rng)
    n_leaves = len(tree.leaf_ids)
    headcount = draw_headcounts(n_leaves, respondents / (n_leaves * rounds * np.mean(RESPONSE_RATE)), rng)
    answered = respondent_counts(headcount, respondents, rounds, rng)  # leaves x rounds

    cell = np.repeat(np.arange(n_leaves * rounds), answered.ravel())
    leaf, round_index = np.divmod(cell, rounds)
    arrival = np.lexsort((rng.random(cell.size), round_index))
    cell, leaf, round_index = cell[arrival], leaf[arrival], round_index[arrival]

    profile = np.asarray(tree.leaf_profile)[leaf]
    background = draw_background(profile, rng)
    partner, partner_shift = draw_partners(tree, leaf, rng)
    general = dict(zip(STAFF_INSTRUMENTS, general_factors(leaf, cell, n_leaves, n_leaves * rounds, rng)))

    item_columns = {}
    for instrument_id in STAFF_INSTRUMENTS:
        structure = instrument_structure(instruments[instrument_id])
        role_shift = np.array([ROLE_SHIFT[instrument_id].get(r, 0.0) for r in ROLES])
        factor = general[instrument_id] + LEVEL[instrument_id] + TREND_PER_ROUND[instrument_id] * round_index
        factor = factor + role_shift[background["role_index"]]
        if instrument_id == "samhandlingsklima":
            factor = factor + partner_shift
        y = latent_responses(factor, leaf, n_leaves, structure, rng)
        answers = add_missing(as_given(discretise(y, structure), structure), structure, rng)
        integer = np.all(structure.scale_step == np.round(structure.scale_step))
        for j, item_id in enumerate(structure.items):
            item_columns[item_id] = pd.array(answers[:, j], dtype="Int64" if integer else "Float64")

    labels = np.asarray(round_labels(rounds), dtype=object)
    leaf_ids = np.asarray(tree.leaf_ids, dtype=object)
    responses = pd.DataFrame({
        "response": _ids("r", np.arange(1, cell.size + 1), max(6, len(str(cell.size)))),
        "unit": leaf_ids[leaf],
        "round": labels[round_index],
        "language": background["language"],
        "role": background["role"],
        "tenure": background["tenure"],
        "position": background["position"],
        "sk_partner": partner,
        **item_columns,
    })  # fmt: skip

    n_clients = max(1, int(respondents * CLIENTS_PER_RESPONDENT))
    feedback = feedback_table(tree, headcount, n_clients, rounds, instruments, rng)
    return SampleData(
        units=pd.DataFrame(tree.rows, columns=UNITS_COLUMNS),
        responses=responses,
        feedback=feedback,
        headcount=pd.DataFrame({
            "unit": np.repeat(leaf_ids, rounds),
            "round": np.tile(labels, n_leaves),
            "invited": np.repeat(headcount, rounds),
        }),  # fmt: skip
    )


def respondent_counts(headcount: np.ndarray, total: int, rounds: int, rng) -> np.ndarray:
    """Answers per leaf and round: headcount x a rate from U(.5, .9), scaled to ``total``.

    The response rate stays within 50-90 % (at least one answer) where ``total`` allows it;
    otherwise the counts only stay within 1 (or 0) .. headcount.
    """
    invited = np.repeat(headcount[:, None], rounds, axis=1).ravel()
    expected = invited * rng.uniform(*RESPONSE_RATE, size=invited.shape)
    targets = expected * total / expected.sum()
    lower = np.ceil(RESPONSE_RATE[0] * invited).astype(np.int64)
    upper = np.maximum(1, np.floor(RESPONSE_RATE[1] * invited)).astype(np.int64)
    if not lower.sum() <= total <= upper.sum():
        lower, upper = np.full_like(invited, int(total >= invited.size)), invited
    return allocate(targets, lower, upper, total).reshape(headcount.size, rounds)
