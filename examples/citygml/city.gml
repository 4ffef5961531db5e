<?xml version="1.0" encoding="UTF-8"?>
<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" xmlns:bldg="http://www.opengis.net/citygml/building/2.0"
 xmlns:gen="http://www.opengis.net/citygml/generics/2.0" xmlns:gml="http://www.opengis.net/gml">
<gml:boundedBy><gml:Envelope srsName="EPSG:4548" srsDimension="3"><gml:lowerCorner>476100 4414100 20</gml:lowerCorner><gml:upperCorner>476220 4414150 38</gml:upperCorner></gml:Envelope></gml:boundedBy>
<core:cityObjectMember><bldg:Building gml:id="L1">
<gml:name>Tongzhou Library</gml:name>
<gen:stringAttribute name="owner"><gen:value>district</gen:value></gen:stringAttribute>
<gen:doubleAttribute name="energy_kwh"><gen:value>1250.5</gen:value></gen:doubleAttribute>
<bldg:function>library</bldg:function>
<bldg:usage>public</bldg:usage>
<bldg:measuredHeight uom="m">12.0</bldg:measuredHeight>
<bldg:storeysAboveGround>4</bldg:storeysAboveGround>
<bldg:lod1Solid><gml:Solid><gml:exterior><gml:CompositeSurface>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476100 4414100 20 476100 4414110 20 476120 4414110 20 476120 4414100 20 476100 4414100 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476100 4414100 32 476120 4414100 32 476120 4414110 32 476100 4414110 32 476100 4414100 32</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476100 4414100 20 476120 4414100 20 476120 4414100 32 476100 4414100 32 476100 4414100 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476120 4414100 20 476120 4414110 20 476120 4414110 32 476120 4414100 32 476120 4414100 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476120 4414110 20 476100 4414110 20 476100 4414110 32 476120 4414110 32 476120 4414110 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476100 4414110 20 476100 4414100 20 476100 4414100 32 476100 4414110 32 476100 4414110 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod1Solid>
</bldg:Building></core:cityObjectMember>
<core:cityObjectMember><bldg:Building gml:id="L2">
<gen:intAttribute name="units"><gen:value>36</gen:value></gen:intAttribute>
<bldg:usage>office</bldg:usage>
<bldg:lod1Solid><gml:Solid><gml:exterior><gml:CompositeSurface>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476140 4414100 20 476140 4414115 20 476155 4414115 20 476155 4414100 20 476140 4414100 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476140 4414100 38 476155 4414100 38 476155 4414115 38 476140 4414115 38 476140 4414100 38</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476140 4414100 20 476155 4414100 20 476155 4414100 38 476140 4414100 38 476140 4414100 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476155 4414100 20 476155 4414115 20 476155 4414115 38 476155 4414100 38 476155 4414100 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476155 4414115 20 476140 4414115 20 476140 4414115 38 476155 4414115 38 476155 4414115 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476140 4414115 20 476140 4414100 20 476140 4414100 38 476140 4414115 38 476140 4414115 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod1Solid>
</bldg:Building></core:cityObjectMember>
<core:cityObjectMember><bldg:Building gml:id="H3">
<gml:name>Gable House</gml:name>
<bldg:measuredHeight uom="m">9.0</bldg:measuredHeight>
<bldg:boundedBy><bldg:GroundSurface><bldg:lod2MultiSurface><gml:MultiSurface>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476180 4414100 20 476180 4414108 20 476190 4414108 20 476190 4414100 20 476180 4414100 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
</gml:MultiSurface></bldg:lod2MultiSurface></bldg:GroundSurface></bldg:boundedBy>
<bldg:boundedBy><bldg:WallSurface><bldg:lod2MultiSurface><gml:MultiSurface>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476180 4414100 20 476190 4414100 20 476190 4414100 26 476180 4414100 26 476180 4414100 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476190 4414108 20 476180 4414108 20 476180 4414108 26 476190 4414108 26 476190 4414108 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476190 4414100 20 476190 4414108 20 476190 4414108 26 476190 4414104 29 476190 4414100 26 476190 4414100 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476180 4414108 20 476180 4414100 20 476180 4414100 26 476180 4414104 29 476180 4414108 26 476180 4414108 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
</gml:MultiSurface></bldg:lod2MultiSurface></bldg:WallSurface></bldg:boundedBy>
<bldg:boundedBy><bldg:RoofSurface><bldg:lod2MultiSurface><gml:MultiSurface>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476180 4414100 26 476190 4414100 26 476190 4414104 29 476180 4414104 29 476180 4414100 26</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476190 4414108 26 476180 4414108 26 476180 4414104 29 476190 4414104 29 476190 4414108 26</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
</gml:MultiSurface></bldg:lod2MultiSurface></bldg:RoofSurface></bldg:boundedBy>
</bldg:Building></core:cityObjectMember>
<core:cityObjectMember><bldg:Building gml:id="P4">
<gml:name>Twin Halls</gml:name>
<bldg:consistsOfBuildingPart><bldg:BuildingPart gml:id="P4a">
<bldg:lod1Solid><gml:Solid><gml:exterior><gml:CompositeSurface>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476100 4414140 20 476100 4414150 20 476110 4414150 20 476110 4414140 20 476100 4414140 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476100 4414140 26 476110 4414140 26 476110 4414150 26 476100 4414150 26 476100 4414140 26</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476100 4414140 20 476110 4414140 20 476110 4414140 26 476100 4414140 26 476100 4414140 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476110 4414140 20 476110 4414150 20 476110 4414150 26 476110 4414140 26 476110 4414140 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476110 4414150 20 476100 4414150 20 476100 4414150 26 476110 4414150 26 476110 4414150 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476100 4414150 20 476100 4414140 20 476100 4414140 26 476100 4414150 26 476100 4414150 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod1Solid>
</bldg:BuildingPart></bldg:consistsOfBuildingPart>
<bldg:consistsOfBuildingPart><bldg:BuildingPart gml:id="P4b">
<bldg:measuredHeight uom="m">15.0</bldg:measuredHeight>
<bldg:lod1Solid><gml:Solid><gml:exterior><gml:CompositeSurface>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476110 4414140 20 476110 4414150 20 476120 4414150 20 476120 4414140 20 476110 4414140 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476110 4414140 35 476120 4414140 35 476120 4414150 35 476110 4414150 35 476110 4414140 35</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476110 4414140 20 476120 4414140 20 476120 4414140 35 476110 4414140 35 476110 4414140 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476120 4414140 20 476120 4414150 20 476120 4414150 35 476120 4414140 35 476120 4414140 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476120 4414150 20 476110 4414150 20 476110 4414150 35 476120 4414150 35 476120 4414150 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">476110 4414150 20 476110 4414140 20 476110 4414140 35 476110 4414150 35 476110 4414150 20</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod1Solid>
</bldg:BuildingPart></bldg:consistsOfBuildingPart>
</bldg:Building></core:cityObjectMember>
</core:CityModel>
