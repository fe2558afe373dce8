// Package textline finds where the lines of a text file start, as every
// position s3cors reports counts them.
package textline

import "bytes"

// Starts returns the offset of the first byte of each line of data, the
// first line's 0 included. A line ends at "\n", "\r\n" or "\r" alone:
// YAML 1.2 reads each as one line break, XML 1.0 (§2.11) turns each into
// one "\n", and editors end a line at each, in JSON too.
func Starts(data []byte) []int {
	starts := []int{0}
	for i := 0; ; {
		j := bytes.IndexAny(data[i:], "\r\n")
		if j < 0 {
			return starts
		}
		i += j + 1
		if data[i-1] == '\r' && i < len(data) && data[i] == '\n' {
			i++
		}
		starts = append(starts, i)
	}
}

// LFStarts is [Starts] for a file whose lines end at "\n" and "\r\n"
// only, as the scanner of Terraform's native syntax counts them
// (hclsyntax's tokenAccum.emitToken counts no line at a "\r" alone).
func LFStarts(data []byte) []int {
	starts := []int{0}
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			return starts
		}
		i += j + 1
		starts = append(starts, i)
	}
}
