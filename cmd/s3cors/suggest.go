package main

import "strings"

// closest returns the one name among candidates that a mistyped word most
// likely meant, or "" when none stands out: a name that differs from
// word only in case; else the nearest within a small edit distance (two
// edits, one for words of four letters or fewer), when no other is as
// near; else the one name that holds word as a part between hyphens
// ("headers" in "request-headers"), for someone who remembered half a
// flag. A guess is offered only where it is unique, as git and cobra
// do, so that it never picks between two flags for the user.
func closest(word string, candidates []string) string {
	if word == "" {
		return ""
	}
	for _, c := range candidates {
		if strings.EqualFold(c, word) {
			return c
		}
	}
	lower := strings.ToLower(word)
	limit := 2
	if len(lower) <= 4 {
		limit = 1
	}
	best, bestDist, ties := "", limit+1, 0
	for _, c := range candidates {
		switch d := editDistance(lower, c, limit); {
		case d < bestDist:
			best, bestDist, ties = c, d, 1
		case d == bestDist:
			ties++
		}
	}
	if best != "" && ties == 1 {
		return best
	}
	if len(lower) < 4 {
		return ""
	}
	part := ""
	for _, c := range candidates {
		if hasHyphenPart(c, lower) {
			if part != "" {
				return ""
			}
			part = c
		}
	}
	return part
}

// hasHyphenPart reports whether name, split at its hyphens, has a run of
// parts that begins with word, as "request-headers" has "header" and
// "headers" and "request-header".
func hasHyphenPart(name, word string) bool {
	for start := 0; start < len(name); {
		if strings.HasPrefix(name[start:], word) {
			return true
		}
		i := strings.IndexByte(name[start:], '-')
		if i < 0 {
			return false
		}
		start += i + 1
	}
	return false
}

// editDistance returns the optimal string alignment distance between a
// and b (insertions, deletions, substitutions and swaps of two adjacent
// bytes, each counting one), or limit+1 when it is over limit. Flag and
// verb names are short ASCII words, so a plain table costs nothing that
// matters.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	// rows[i%3][j] is the distance between a[:i] and b[:j].
	var rows [3][]int
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur, prev := rows[i%3], rows[(i-1)%3]
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, rows[(i-2)%3][j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin > limit {
			return limit + 1
		}
	}
	return min(rows[len(a)%3][len(b)], limit+1)
}

// didYouMean returns "; did you mean X?" for the candidate closest to
// word, spelled with prefix ("--" for a flag), or "" when none is.
func didYouMean(word, prefix string, candidates []string) string {
	if c := closest(word, candidates); c != "" {
		return "; did you mean " + prefix + c + "?"
	}
	return ""
}
