#!/usr/bin/env python3
"""Renames one plan feature of a Linli workspace that Linli has open, as a QGIS user does: the
layer through GDAL, the edit buffer, commitChanges. Prints one line:
  RENAMED <uuid> <new name>
Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_rename_open.py FILE.gpkg TABLE UUID NAME"""
import os, sys
from qgis.core import QgsApplication, QgsVectorLayer, QgsFeatureRequest

app = QgsApplication([], False); app.initQgis()
path, table, uuid, name = sys.argv[1:5]

layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
if not layer.isValid():
    sys.exit(f"cannot open {table}")
request = QgsFeatureRequest().setFilterExpression(f"\"uuid\" = '{uuid}'")
feature = next(layer.getFeatures(request), None)
if feature is None:
    sys.exit(f"no feature {uuid} in {table}")
layer.startEditing()
layer.changeAttributeValue(feature.id(), layer.fields().indexOf("name"), name)
if not layer.commitChanges():
    sys.exit("commit failed: " + "; ".join(layer.commitErrors()))
print("RENAMED", uuid, name)
sys.stdout.flush()
# QGIS's Python crashes in exitQgis() when layers are still referenced; everything is committed.
os._exit(0)
