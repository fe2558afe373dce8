package inspect

import (
	"slices"
	"strconv"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/explain"
	"github.com/s3cors/s3cors/internal/lint"
)

// matrixMethods are the matrix's columns: the reads, then the writes.
var matrixMethods = []string{"GET", "HEAD", "POST", "PUT", "DELETE"}

// matrix is a picture of a configuration: for each AllowedOrigin it
// lists, which methods a page of that origin may use, and which rule
// lets it.
type matrix struct {
	Methods []string
	Rows    []matrixRow
}

// matrixRow is one AllowedOrigin and what it may do.
type matrixRow struct {
	Origin string
	// Any is true for a value that admits every website ("*",
	// "https://*"), as lint's any-origin-writes reads it.
	Any bool
	// Never is true for a value no browser's Origin matches
	// ("HTTPS://APP.EXAMPLE.COM"), as lint's findings say: S3 compares
	// origins byte for byte, so its cells name no rule.
	Never bool
	Cells []matrixCell
}

// matrixCell says whether the origins of a row may use a method.
type matrixCell struct {
	Method string
	// Rule is the 1-based rule that answers such a request (when the
	// headers it asks for are allowed too), 0 for none.
	Rule int
	// RuleID is that rule's ID, if any.
	RuleID string
	// Via is the AllowedOrigin of that rule that admits the row's
	// origins, when it is not the row's own ("*" for a row
	// "https://app.example" that only a later "*" rule lets delete).
	Via string
	// Danger is true for a write method every site may use.
	Danger bool
}

// newMatrix draws the matrix of rules. A request is answered by the
// first rule that admits its origin, its method and its headers, so the
// cell of origin o and method m names the first rule that lists m and an
// AllowedOrigin admitting every origin o admits (lint.Subsumes).
func newMatrix(rules []corsrule.Rule) *matrix {
	m := &matrix{Methods: matrixMethods}
	var seen []string
	for _, r := range rules {
		for _, o := range r.AllowedOrigins {
			if slices.Contains(seen, o) {
				continue
			}
			seen = append(seen, o)
			m.Rows = append(m.Rows, newMatrixRow(rules, o))
		}
	}
	return m
}

// newMatrixRow fills the row of origin: for each method, the first rule
// that allows it from that origin, as S3 picks the first rule that
// matches, and whether that is a danger (a value admitting every website
// allowing a method that writes). A row whose origin no browser sends
// has no rule in its cells.
func newMatrixRow(rules []corsrule.Rule, origin string) matrixRow {
	reach := lint.ReachOf(origin)
	row := matrixRow{Origin: origin, Any: reach.Every, Never: reach.Never}
	for _, method := range matrixMethods {
		cell := matrixCell{Method: method}
		if !row.Never {
			cell = firstAllowing(rules, origin, method)
		}
		cell.Danger = cell.Rule > 0 && row.Any && method != "GET" && method != "HEAD"
		row.Cells = append(row.Cells, cell)
	}
	return row
}

// firstAllowing returns the cell of origin and method: the first rule
// that lists method and an AllowedOrigin admitting origin, or none.
func firstAllowing(rules []corsrule.Rule, origin, method string) matrixCell {
	cell := matrixCell{Method: method}
	for i, r := range rules {
		if !slices.Contains(r.AllowedMethods, method) {
			continue
		}
		if via, ok := admitting(r.AllowedOrigins, origin); ok {
			cell.Rule, cell.RuleID = i+1, r.ID
			if via != origin {
				cell.Via = via
			}
			break
		}
	}
	return cell
}

// admitting returns the first of origins that admits every origin o
// admits, preferring o itself.
func admitting(origins []string, o string) (string, bool) {
	if slices.Contains(origins, o) {
		return o, true
	}
	for _, p := range origins {
		if lint.Subsumes(p, o) {
			return p, true
		}
	}
	return "", false
}

// Label names the rule of a cell as the page shows it: "rule 2" or
// "rule 2 (ID)".
func (c matrixCell) Label() string {
	if c.Rule == 0 {
		return ""
	}
	s := "rule " + strconv.Itoa(c.Rule)
	if c.RuleID != "" {
		s += " (" + explain.QuoteIfNeeded(c.RuleID) + ")"
	}
	return s
}
