#!/usr/bin/env python3
"""Edits a street workspace as a QGIS user does (QGIS's Python API, Debian python3-qgis):
renames the first plan polygon, deletes the first plan line, renames the first project in the
linli_projects attribute table. Prints what it did, one line each:
  RENAMED <uuid> <new name>
  DELETED <uuid>
  PROJECT <uuid> <new name>
Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_edit_street.py FILE.gpkg"""
import sys
from qgis.core import QgsApplication, QgsVectorLayer, QgsFeatureRequest

app = QgsApplication([], False); app.initQgis()
path = sys.argv[1]

def layer(name):
    l = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    if not l.isValid():
        sys.exit(f"cannot open {name}")
    return l

def commit(l):
    if not l.commitChanges():
        sys.exit("commit failed: " + "; ".join(l.commitErrors()))

def first(l):
    return next(l.getFeatures(QgsFeatureRequest().addOrderBy("fid")), None)

done = False
for name in ["plan_polygons", "plan_points", "plan_lines"]:
    l = layer(name)
    f = first(l)
    if f is None:
        continue
    if not done:
        l.startEditing()
        l.changeAttributeValue(f.id(), l.fields().indexOf("name"), "QGIS 改的名字")
        commit(l)
        print("RENAMED", f["uuid"], "QGIS 改的名字")
        done = True
    else:
        l.startEditing()
        l.deleteFeature(f.id())
        commit(l)
        print("DELETED", f["uuid"])
        break

projects = layer("linli_projects")
p = first(projects)
projects.startEditing()
projects.changeAttributeValue(p.id(), projects.fields().indexOf("name"), "QGIS 改的项目名")
commit(projects)
print("PROJECT", p["uuid"], "QGIS 改的项目名")
