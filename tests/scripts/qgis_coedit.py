#!/usr/bin/env python3
"""Edits a Linli workspace as a QGIS user does, with nothing but the layers' own forms (QGIS's
Python API, Debian python3-qgis): adds a pocket garden to plan_polygons, renames the first plan
line, deletes the first plan point. Prints what it did, one line each:
  WIDGET <editor widget type of plan_polygons.element_type> <its value map as JSON>
  ADDED <fid> <uuid as QGIS stored it>
  RENAMED <uuid> <new name>
  DELETED <uuid>
Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_coedit.py FILE.gpkg LON LAT"""
import json, os, sys
from qgis.core import (QgsApplication, QgsVectorLayer, QgsVectorLayerUtils, QgsGeometry,
                       QgsPointXY, QgsFeatureRequest)

app = QgsApplication([], False); app.initQgis()
path, lon, lat = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])

def layer(name):
    l = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    if not l.isValid():
        sys.exit(f"cannot open {name}")
    return l

def commit(l):
    if not l.commitChanges():
        sys.exit("commit failed: " + "; ".join(l.commitErrors()))

polygons = layer("plan_polygons")
field = polygons.fields().indexOf("element_type")
setup = polygons.editorWidgetSetup(field)
print("WIDGET", setup.type(), json.dumps(setup.config().get("map", []), ensure_ascii=False))

# Add: the form fills the fields the user does not type (uuid stays empty for the file to fill).
d = 0.0004
ring = [QgsPointXY(lon - d, lat - d), QgsPointXY(lon + d, lat - d), QgsPointXY(lon + d, lat + d),
        QgsPointXY(lon - d, lat + d), QgsPointXY(lon - d, lat - d)]
polygons.startEditing()
values = {field: "pocket_garden", polygons.fields().indexOf("name"): "QGIS 口袋花园"}
f = QgsVectorLayerUtils.createFeature(polygons, QgsGeometry.fromPolygonXY([ring]), values)
f.setGeometry(QgsGeometry.fromMultiPolygonXY([[ring]]))
if not polygons.addFeature(f):
    sys.exit("addFeature failed")
commit(polygons)
added = max(polygons.getFeatures(), key=lambda g: g.id())
print("ADDED", added.id(), added["uuid"])

lines = layer("plan_lines")
first = next(lines.getFeatures(QgsFeatureRequest().addOrderBy("fid")))
lines.startEditing()
lines.changeAttributeValue(first.id(), lines.fields().indexOf("name"), "QGIS 改名")
commit(lines)
print("RENAMED", first["uuid"], "QGIS 改名")

points = layer("plan_points")
gone = next(points.getFeatures(QgsFeatureRequest().addOrderBy("fid")))
points.startEditing()
points.deleteFeature(gone.id())
commit(points)
print("DELETED", gone["uuid"])

sys.stdout.flush()
# QGIS's Python crashes in exitQgis() when layers are still referenced; everything is committed.
os._exit(0)
