#!/usr/bin/env python3
"""QGIS Processing's answer to straight-line coverage, as a planner would get it: reproject the
communities and the facility points to UTM 51N (EPSG:32651), buffer the points (16 segments,
dissolved), intersect with the communities, and sum the area per community.

Usage: QT_QPA_PLATFORM=offscreen qgis_coverage.py WS.gpkg AREAS_LAYER POINTS_LAYER DISTANCE_M
Prints one line per community, `uuid<TAB>share`, then `seconds<TAB>S` (the processing time,
without starting QGIS)."""
import sys, time
from qgis.core import QgsApplication
app = QgsApplication([], False); app.initQgis()
sys.path.append('/usr/share/qgis/python/plugins')
from processing.core.Processing import Processing
Processing.initialize()
import processing

ws, areas_name, points_name, dist = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
t = time.perf_counter()
run = lambda alg, params: processing.run(alg, dict(params, OUTPUT='memory:'))['OUTPUT']
areas = run('native:reprojectlayer', {'INPUT': f'{ws}|layername={areas_name}', 'TARGET_CRS': 'EPSG:32651'})
points = run('native:reprojectlayer', {'INPUT': f'{ws}|layername={points_name}', 'TARGET_CRS': 'EPSG:32651'})
buffers = run('native:buffer', {'INPUT': points, 'DISTANCE': dist, 'SEGMENTS': 16, 'DISSOLVE': True})
inter = run('native:intersection', {'INPUT': areas, 'OVERLAY': buffers, 'INPUT_FIELDS': ['uuid']})
covered = {}
for f in inter.getFeatures():
    covered[f['uuid']] = covered.get(f['uuid'], 0.0) + f.geometry().area()
shares = {f['uuid']: covered.get(f['uuid'], 0.0) / f.geometry().area() for f in areas.getFeatures()}
elapsed = time.perf_counter() - t
for k in sorted(shares):
    print(f"{k}\t{shares[k]:.6f}")
print(f"seconds\t{elapsed:.3f}")
app.exitQgis()
