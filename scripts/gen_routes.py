#!/usr/bin/env python3
"""Generate the routes.csv of a dataset (lithium-2024, copper-2024, niobium-2024) from country
gateway coordinates.

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

All rates are our estimates of 2024 freight (see docs/data-sources.md). Each dataset has its own
product table (mass shipped per unit, sea rate, handling) and lane restrictions in DATASETS,
chosen by the folder's name. Run from the repo root:
    python3 scripts/gen_routes.py [data/lithium-2024 | data/copper-2024 | data/niobium-2024]
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
    # Zimbabwe's lithium concentrate leaves through Beira (MMCZ 2025-11: lithium concentrates
    # stockpiled at Beira's quay, Zimbabwe's lithium exports 24,000 TEU in 2025); Harare-Beira is
    # 559 km by road (Cornelder de Mocambique via Daily News, Harare, 2014-08-12; Harare-Durban
    # 1,683 km, Daily News 2019-04-04), Mutare-Beira under 300 km (Mutare Dry Port, The Manica Post
    # 2023-02-03). Arcadia (Goromonzi, 40 km east of Harare) about 520 km, Bikita and Sabi Star by
    # Birchenough Bridge and Mutare of the same order: 550 (our estimate); was 1,200.
    'ZW': (-19.83, 34.84, 550),    # Arcadia/Bikita/Sabi Star to Beira
    # copper-2024 and niobium-2024
    'AE': (25.01, 55.06, 50),      # Jebel Ali (owner country only)
    'BG': (42.49, 27.47, 400),     # Burgas (Pirdop)
    'CD': (-6.82, 39.29, 2500),    # Kolwezi/Lubumbashi by road to Dar es Salaam (or Durban, Walvis Bay)
    'CH': (47.37, 8.54, 300),      # owner country only
    'EC': (-3.26, -79.96, 300),    # Mirador to Machala/Puerto Bolivar
    'ES': (37.25, -6.95, 100),     # Huelva
    'IR': (27.18, 56.27, 800),     # Bandar Abbas
    'KZ': (43.24, 76.89, 1500),    # by rail to China (Alashankou) or the Black Sea
    'MN': (43.65, 111.98, 700),    # Oyu Tolgoi by road/rail to the Chinese border (Erenhot)
    'MX': (27.92, -110.90, 400),   # Guaymas
    'PA': (9.35, -79.90, 50),      # Punta Rincon / Colon
    'PE': (-17.00, -72.10, 300),   # Matarani / Callao
    'RS': (45.25, 19.84, 600),     # Bor by rail to the Danube / Bar
    'SA': (26.43, 50.10, 100),     # owner country only
    'ZM': (-6.82, 39.29, 2000),    # Copperbelt by road/rail to Dar es Salaam (or Durban)
    'ZZ': (10.0, 80.0, 300),       # 'other countries' aggregate: a notional Indian Ocean gateway
}

# Mass shipped per unit of product (t per unit), sea rate (USD/t-km) and handling (USD/t).
LITHIUM_PRODUCTS = {
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
LITHIUM_ONLY_LANES = {
    'brine_conc': {('AR', 'CN'), ('AR', 'US')},
}

# copper-2024, every product in t Cu contained.
#  cu_conc: a 28 % concentrate at about 8 % moisture: 1 / 0.28 x 1.08 = 3.9 wet t per t Cu, in bulk
#     (Supramax/Handysize; 0.0018 USD/t-km gives about 45 USD/wmt Chile-China, near 2024 fixtures).
#  anode and blister: 1.0 t per t Cu, break-bulk; cathode: 1.0 t, containers or break-bulk.
#  scrap: 1.2 t per t Cu (mixed grades about 85 % Cu), containers.
#  cu_leach: copper in leach solution is electrowon at the mine: no cross-border lanes.
COPPER_PRODUCTS = {
    'cu_conc': (3.9, 0.0018, 15.0),
    'cu_leach': (1.0, 0.004, 0.0),
    'scrap': (1.2, 0.004, 30.0),
    'anode': (1.0, 0.003, 20.0),
    'cathode': (1.0, 0.004, 25.0),
}
# Anode and blister cross borders only where the trade exists (ICSG World Copper Factbook 2024:
# Chile, Zambia and the DRC export anode and blister, mostly to China); elsewhere smelters feed their
# own or domestic refineries. Scrap rows are each country's secondary refined output (China's
# includes its imported scrap), so scrap is used where it is listed.
COPPER_ONLY_LANES = {
    'cu_leach': set(),
    'scrap': set(),
    'anode': {('CL', 'CN'), ('ZM', 'CN'), ('CD', 'CN'), ('ZZ', 'CN'), ('CL', 'KR'), ('ZM', 'IN')},
}

# niobium-2024, every product in t Nb contained.
#  pyrochlore concentrate (about 55-60 % Nb2O5, 40 % Nb): 2.5 t per t Nb; converted next to the mine,
#     so no cross-border lanes except columbite-tantalite from the 'other countries' aggregate to China. Ferroniobium (66 % Nb): 1.5 t per t Nb, drums in containers;
#     oxides and special products (high-purity Nb2O5 70 % Nb, vacuum-grade alloys): 1.45 t per t Nb.
NIOBIUM_PRODUCTS = {
    'nb_conc': (2.5, 0.004, 15.0),
    'fenb': (1.5, 0.008, 40.0),
    'nb_special': (1.45, 0.008, 40.0),
}
NIOBIUM_ONLY_LANES = {'nb_conc': {('ZZ', 'CN')}}  # columbite-tantalite to Chinese processors

DATASETS = {
    'lithium-2024': (LITHIUM_PRODUCTS, LITHIUM_ONLY_LANES),
    'copper-2024': (COPPER_PRODUCTS, COPPER_ONLY_LANES),
    'niobium-2024': (NIOBIUM_PRODUCTS, NIOBIUM_ONLY_LANES),
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


# Mass shipped per unit where an exporter ships a grade outside the product table's range:
# Zimbabwe's spodumene is SC5 (Bikita, Arcadia and Sabi Star rows in facilities.csv: 5 % Li2O),
# 1 / (0.05 x 2.473) = 8.09 t of concentrate per t LCE against the 7.0 of SC5.5-6.
EXPORT_MASS = {
    'lithium-2024': {('ZW', 'spodumene_conc'): 8.09},
}


def lane_cost(products, product, a, b, export_mass=None):
    mass, sea, handling = products[product]
    mass = (export_mass or {}).get((a, product), mass)
    ga, gb = GATEWAY[a], GATEWAY[b]
    km = great_circle_km(ga, gb) * DETOUR
    return mass * (handling + sea * km + ROAD_USD_PER_TKM * ga[2])


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join('data', 'lithium-2024')
    name = os.path.basename(os.path.normpath(folder))
    if name not in DATASETS:
        sys.exit(f'no product table for dataset {name!r}; expected one of {sorted(DATASETS)}')
    PRODUCT, ONLY_LANES = DATASETS[name]
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
                    rows.append((a, b, p, lane_cost(PRODUCT, p, a, b, EXPORT_MASS.get(name))))

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
