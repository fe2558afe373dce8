package browsertest

import (
	"bytes"
	"encoding/binary"
	"slices"
	"unicode/utf16"
)

// The font the asset tests load is built here rather than committed: a
// TrueType font of two glyphs, .notdef and a filled rectangle mapped to
// "X" whose advance is three em wide, so a line of X in this font is far
// wider than in any fallback font and its width tells whether the browser
// used it. Chromium passes every web font through the OpenType Sanitizer,
// which refuses a font whose required tables are missing or inconsistent,
// so a font that loads is a real one.

const (
	testFontFamily = "S3corsTestFont"
	fontUnitsPerEm = 1000
	// fontXAdvance is the advance of "X", in font units.
	fontXAdvance = 3000
)

// testFont returns the font's bytes.
func testFont() []byte {
	const (
		xMin, yMin, xMax, yMax = 100, 0, 2900, 700
		lsb                    = xMin
	)
	// glyph 1: one contour, four on-curve points, coordinates as deltas.
	glyph := be(int16(1), int16(xMin), int16(yMin), int16(xMax), int16(yMax),
		uint16(3), // last point of the contour
		uint16(0), // no instructions
		[]byte{1, 1, 1, 1},
		int16(xMin), int16(0), int16(xMax-xMin), int16(0),
		int16(0), int16(yMax), int16(0), int16(-yMax))
	glyf := pad4(glyph)

	head := be(uint32(0x00010000), uint32(0x00010000),
		uint32(0),          // checkSumAdjustment, set below
		uint32(0x5F0F3CF5), // magic
		uint16(0x000B),     // baseline at 0, lsb at xMin, integer scaling
		uint16(fontUnitsPerEm),
		int64(0), int64(0), // created, modified
		int16(xMin), int16(yMin), int16(xMax), int16(yMax),
		uint16(0), // macStyle
		uint16(8), // lowestRecPPEM
		int16(2),  // fontDirectionHint
		int16(0),  // short loca
		int16(0))  // glyphDataFormat
	hhea := be(uint32(0x00010000), int16(800), int16(-200), int16(0),
		uint16(fontXAdvance), int16(lsb), int16(fontXAdvance-xMax), int16(xMax),
		int16(1), int16(0), int16(0), // caret
		int16(0), int16(0), int16(0), int16(0), // reserved
		int16(0),  // metricDataFormat
		uint16(2)) // numberOfHMetrics
	maxp := be(uint32(0x00010000), uint16(2), // numGlyphs
		uint16(4), uint16(1), uint16(0), uint16(0), // points, contours, composite points and contours
		uint16(2), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0))
	hmtx := be(uint16(500), int16(0), uint16(fontXAdvance), int16(lsb))
	loca := be(uint16(0), uint16(0), uint16(len(glyf)/2))
	os2 := be(uint16(4), int16(fontXAdvance/2), uint16(400), uint16(5), uint16(0),
		int16(650), int16(600), int16(0), int16(75), int16(650), int16(600), int16(0), int16(350), // sub- and superscripts
		int16(50), int16(250), // strikeout
		int16(0),                                   // family class
		make([]byte, 10),                           // PANOSE
		uint32(1), uint32(0), uint32(0), uint32(0), // Basic Latin
		[]byte("NONE"),
		uint16(0x0040),           // regular
		uint16('X'), uint16('X'), // first and last character
		int16(800), int16(-200), int16(0), // typographic ascender, descender, gap
		uint16(800), uint16(200), // Windows ascent, descent
		uint32(1), uint32(0), // Latin 1 code page
		int16(500), int16(700), uint16(0), uint16(' '), uint16(1))
	// cmap: one format 4 subtable (Windows, Unicode BMP) with the segment
	// X..X mapped to glyph 1 and the final 0xFFFF segment.
	cmap := be(uint16(0), uint16(1), uint16(3), uint16(1), uint32(12),
		uint16(4), uint16(32), uint16(0), // format, length, language
		uint16(4), uint16(4), uint16(1), uint16(0), // segCountX2, searchRange, entrySelector, rangeShift
		uint16('X'), uint16(0xFFFF), uint16(0), // end codes, pad
		uint16('X'), uint16(0xFFFF), // start codes
		uint16((1-'X')&0xFFFF), uint16(1), // deltas, modulo 65536
		uint16(0), uint16(0)) // range offsets
	post := be(uint32(0x00030000), uint32(0), int16(-100), int16(50), uint32(0), uint32(0), uint32(0), uint32(0), uint32(0))
	tables := map[string][]byte{
		"OS/2": os2, "cmap": cmap, "glyf": glyf, "head": head, "hhea": hhea,
		"hmtx": hmtx, "loca": loca, "maxp": maxp, "name": nameTable(), "post": post,
	}

	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	n := len(tags) // 10: searchRange 128, entrySelector 3
	var font bytes.Buffer
	font.Write(be(uint32(0x00010000), uint16(n), uint16(128), uint16(3), uint16(n*16-128)))
	offset := 12 + 16*n
	headOffset := 0
	for _, tag := range tags {
		t := tables[tag]
		if tag == "head" {
			headOffset = offset
		}
		font.Write(be([]byte(tag), checksum(t), uint32(offset), uint32(len(t))))
		offset += len(pad4(t))
	}
	for _, tag := range tags {
		font.Write(pad4(tables[tag]))
	}
	b := font.Bytes()
	binary.BigEndian.PutUint32(b[headOffset+8:], 0xB1B0AFBA-checksum(b))
	return b
}

// nameTable returns a name table with the family, style, unique, full,
// version and PostScript names, for Windows in US English.
func nameTable() []byte {
	names := []string{1: testFontFamily, 2: "Regular", 3: testFontFamily + " Regular", 4: testFontFamily,
		5: "Version 1.0", 6: testFontFamily + "-Regular"}
	var records, strs bytes.Buffer
	for id := 1; id < len(names); id++ {
		var s []byte
		for _, u := range utf16.Encode([]rune(names[id])) {
			s = binary.BigEndian.AppendUint16(s, u)
		}
		records.Write(be(uint16(3), uint16(1), uint16(0x409), uint16(id), uint16(len(s)), uint16(strs.Len())))
		strs.Write(s)
	}
	count := len(names) - 1
	return be(uint16(0), uint16(count), uint16(6+12*count), records.Bytes(), strs.Bytes())
}

// be encodes its arguments big-endian, one after the other.
func be(values ...any) []byte {
	var b bytes.Buffer
	for _, v := range values {
		if s, ok := v.([]byte); ok {
			b.Write(s)
			continue
		}
		binary.Write(&b, binary.BigEndian, v)
	}
	return b.Bytes()
}

func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// checksum is the OpenType table checksum: the sum of the big-endian
// 32-bit words of the table padded to a multiple of four bytes.
func checksum(b []byte) uint32 {
	var sum uint32
	p := pad4(slices.Clone(b))
	for i := 0; i < len(p); i += 4 {
		sum += binary.BigEndian.Uint32(p[i:])
	}
	return sum
}
