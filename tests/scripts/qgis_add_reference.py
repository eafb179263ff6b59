#!/usr/bin/env python3
"""Adds a feature to a Linli reference layer as a QGIS user does, with the layer's own form
(QGIS's Python API, Debian python3-qgis): the uuid is left empty for the file to fill. Prints
  ADDED <fid> <uuid as the file filled it>
Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_add_reference.py FILE.gpkg LAYER LON LAT"""
import os, sys
from qgis.core import (QgsApplication, QgsVectorLayer, QgsVectorLayerUtils, QgsGeometry,
                       QgsPointXY)

app = QgsApplication([], False); app.initQgis()
path, name, lon, lat = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
if not layer.isValid():
    sys.exit(f"cannot open {name}")
d = 0.0004
ring = [QgsPointXY(lon - d, lat - d), QgsPointXY(lon + d, lat - d), QgsPointXY(lon + d, lat + d),
        QgsPointXY(lon - d, lat - d)]
layer.startEditing()
values = {layer.fields().indexOf("name"): "QGIS 新建筑"}
f = QgsVectorLayerUtils.createFeature(layer, QgsGeometry.fromPolygonXY([ring]), values)
if not layer.addFeature(f):
    sys.exit("addFeature failed")
if not layer.commitChanges():
    sys.exit("commit failed: " + "; ".join(layer.commitErrors()))
reread = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
added = max(reread.getFeatures(), key=lambda g: g.id())
print("ADDED", added.id(), added["uuid"])
sys.stdout.flush()
# QGIS's Python crashes in exitQgis() when layers are still referenced; everything is committed.
os._exit(0)
