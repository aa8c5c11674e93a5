#!/usr/bin/env python3
"""Generate data/lithium-2024/routes.csv from country gateway coordinates.

Why a generator: a trade lane is needed for every (producer country, consumer country, product)
the chain can use, and hand-typing hundreds of freight costs invites inconsistency. Every lane's
cost follows one documented formula, so a reviewer can check (or change) the assumptions here
instead of in the CSV:

  cost per unit = mass per unit x (handling per t
                                   + sea rate per t-km x great-circle km x DETOUR
                                   + road rate per t-km x inland km of the exporting country)

Lanes: for each product, from every country with a facility that makes it (any status, so that
scenarios enabling construction capacity find routes) to every other country with a facility that
consumes it, and, for products with demand, to every country of a region demanding it; products in
ONLY_LANES cross borders only on the lanes listed there (trade that does not exist is left out).
Domestic haulage: one '*' row per country (a flat charge), plus product-specific domestic rows
(ROAD_KM_DOMESTIC by road) for the products the country makes, uses or receives.

All rates are our estimates of 2024 freight (see docs/data-sources.md). Run from the repo root:
    python3 scripts/gen_routes.py [data/lithium-2024]
"""
import csv
import io
import math
import os
import sys

DETOUR = 1.3            # sea routes are longer than the great circle
ROAD_USD_PER_TKM = 0.06  # truck haulage
ROAD_KM_DOMESTIC = 300
DOMESTIC_FLAT_USD = 20.0  # the '*' domestic row, per unit, for anything not listed specifically

# Gateway (main export/import port or industrial centre) and inland km from the producing
# areas to that gateway (only matters for exporters).
GATEWAY = {
    'AR': (-34.60, -58.38, 1300),  # Puna salars to Buenos Aires / Chilean ports
    'AU': (-32.05, 115.74, 300),   # Fremantle / Port Hedland
    'BE': (51.22, 4.40, 100),
    'BO': (-18.48, -70.32, 600),   # Uyuni to Arica
    'BR': (-20.32, -40.34, 600),   # Jequitinhonha valley to Vitoria
    'CA': (45.50, -73.57, 600),
    'CL': (-23.65, -70.40, 250),   # Atacama to Antofagasta/Angamos
    'CN': (31.23, 121.47, 500),
    'DE': (53.55, 9.99, 300),
    'FI': (63.84, 23.13, 50),
    'FR': (49.49, 0.11, 250),
    'GB': (50.90, -1.40, 300),
    'HU': (45.55, 13.73, 500),     # via Koper
    'ID': (-6.10, 106.90, 100),
    'IN': (18.95, 72.84, 300),
    'JP': (35.44, 139.64, 200),
    'KR': (35.10, 129.04, 200),
    'ML': (5.32, -4.03, 1100),     # Goulamina to Abidjan
    'NA': (-22.95, 14.50, 200),    # Walvis Bay
    'NL': (51.92, 4.48, 100),
    'PL': (54.35, 18.65, 400),
    'PT': (38.72, -9.14, 300),
    'RU': (59.93, 30.30, 300),
    'SE': (57.70, 11.97, 300),
    'US': (33.77, -118.19, 800),
    'ZA': (-29.86, 31.03, 300),
    'ZW': (-19.83, 34.84, 1200),   # Harare/Bikita to Beira or Durban
}

# Mass shipped per unit of product (t per unit), sea rate (USD/t-km) and handling (USD/t).
PRODUCT = {
    # t concentrate per t LCE: SC5.5-6 spodumene about 7 t; lepidolite (about 2.2 % Li2O) 18 t
    'spodumene_conc': (7.0, 0.004, 15.0),
    'lepidolite_conc': (18.0, 0.004, 15.0),
    # lithium chloride / concentrated brine, about 1.5 t per t LCE, containerised
    'brine_conc': (1.5, 0.008, 40.0),
    'li2co3': (1.0, 0.008, 40.0),
    'lioh': (1.136, 0.008, 40.0),    # t LiOH.H2O per t LCE
    'cam_lfp': (1.0, 0.008, 40.0),
    'cam_nmc': (1.0, 0.008, 40.0),
    # about 6,000 t of cells and packaging per GWh (about 170 Wh/kg), dangerous goods class 9
    'cell_lfp': (6000.0, 0.012, 60.0),
    'cell_nmc': (6000.0, 0.012, 60.0),
}

# Products that cross borders only on the lanes named here (every other cross-border lane of the
# product is left out). Concentrated brine and lithium chloride are not shipped between the brine
# countries: each salar feeds its own plant (Chile's brine goes to Salar del Carmen and La Negra,
# Argentina's to the plants on the salars). The exceptions are Argentine lithium chloride to China
# (Mariana, Ganfeng's conversion plants; energynews.oedigital.com 2025-02-12) and to the US (Fenix
# chloride to Arcadium's Bessemer City plant; Arcadium Lithium 2024 Form 10-K).
ONLY_LANES = {
    'brine_conc': {('AR', 'CN'), ('AR', 'US')},
}

SOURCE = "our estimate: scripts/gen_routes.py great-circle freight model (rates in docs/data-sources.md)"


def read(path):
    with open(path, encoding='utf-8') as f:
        lines = [l for l in f if l.strip() and not l.startswith('#')]
    return list(csv.DictReader(io.StringIO(''.join(lines))))


def great_circle_km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def lane_cost(product, a, b):
    mass, sea, handling = PRODUCT[product]
    ga, gb = GATEWAY[a], GATEWAY[b]
    km = great_circle_km(ga, gb) * DETOUR
    return mass * (handling + sea * km + ROAD_USD_PER_TKM * ga[2])


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join('data', 'lithium-2024')
    facilities = read(os.path.join(folder, 'facilities.csv'))
    countries = read(os.path.join(folder, 'countries.csv'))
    demand = read(os.path.join(folder, 'demand.csv'))
    region_of = {c['code']: c['region'] for c in countries}
    missing = sorted(set(region_of) - set(GATEWAY))
    if missing:
        sys.exit(f'no gateway coordinates for {missing}')

    makers, users = {}, {}
    for f in facilities:
        makers.setdefault(f['output'], set()).add(f['country'])
        for group in filter(None, f['inputs'].split('+')):
            for alt in group.split('|'):
                users.setdefault(alt.split(':')[0], set()).add(f['country'])
    for d in demand:
        for c, r in region_of.items():
            if r == d['region']:
                users.setdefault(d['product'], set()).add(c)

    rows = []
    for c in sorted(region_of):
        rows.append((c, c, '*', DOMESTIC_FLAT_USD))
        for p in sorted(PRODUCT):
            if c in makers.get(p, set()) or c in users.get(p, set()):
                mass = PRODUCT[p][0]
                rows.append((c, c, p, mass * ROAD_USD_PER_TKM * ROAD_KM_DOMESTIC))
    for p in sorted(PRODUCT):
        for a in sorted(makers.get(p, set())):
            for b in sorted(users.get(p, set())):
                if a != b and (p not in ONLY_LANES or (a, b) in ONLY_LANES[p]):
                    rows.append((a, b, p, lane_cost(p, a, b)))

    out = os.path.join(folder, 'routes.csv')
    tmp = out + '.tmp'
    with open(tmp, 'w', encoding='utf-8', newline='') as f:
        f.write('# Generated by scripts/gen_routes.py - edit the script, not this file.\n')
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['from', 'to', 'product', 'cost_usd_per_unit', 'capacity', 'source'])
        for a, b, p, cost in rows:
            w.writerow([a, b, p, f'{cost:.2f}', '', SOURCE])
    os.replace(tmp, out)  # never leave a half-written table behind
    print(f'{out}: {len(rows)} routes')


if __name__ == '__main__':
    main()
