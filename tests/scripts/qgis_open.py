#!/usr/bin/env python3
"""Opens every sublayer of a GeoPackage with QGIS (Debian python3-qgis) and prints name, validity,
feature count, WKB type and CRS. Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_open.py FILE.gpkg"""
import os, sys
from qgis.core import QgsApplication, QgsVectorLayer, QgsProviderRegistry
app = QgsApplication([], False); app.initQgis()
path = sys.argv[1]
md = QgsProviderRegistry.instance().providerMetadata("ogr")
subs = md.querySublayers(path)
for s in subs:
    uri = s.uri()
    l = QgsVectorLayer(uri, s.name(), "ogr")
    print(s.name(), l.isValid(), l.featureCount(), l.wkbType(), l.crs().authid(), l.dataProvider().error().message() if l.dataProvider() else "")
# QGIS's Python crashes in exitQgis() when layers are still referenced; nothing is left to save.
sys.stdout.flush()
os._exit(0)
