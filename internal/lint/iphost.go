package lint

import (
	"net/netip"
	"strconv"
	"strings"
)

// The WHATWG URL standard's host parser reads the host of an http, https,
// ws or wss URL as an IP address when it is in brackets (IPv6) or when its
// last label is a number (IPv4), and its host serializer writes that
// address back in one form only, which is what the Origin header holds:
// "http://127.1:3000" loads http://127.0.0.1:3000, and
// "http://[0:0:0:0:0:0:0:1]" http://[::1]. A host it cannot read as the
// address it looks like ("192.168.1.256", "[::g]") makes the URL invalid:
// no page is ever loaded from it.

// ipHost returns host (in lower case, without a `*`) as the URL standard
// serializes it when it reads it as an IP address: ip is set when it does,
// or when it refuses the URL because of it, and ok is then unset.
func ipHost(host string) (serial string, ip, ok bool) {
	if strings.HasPrefix(host, "[") {
		in, closed := strings.CutSuffix(host[1:], "]")
		if !closed || !strings.Contains(in, ":") || strings.ContainsAny(in, "%[]") {
			// No "]", or a zone ("fe80::1%25eth0"), which the standard's
			// IPv6 parser refuses and netip takes.
			return "", true, false
		}
		addr, err := netip.ParseAddr(in)
		if err != nil || !addr.Is6() {
			return "", true, false
		}
		return "[" + serializeIPv6(addr.As16()) + "]", true, true
	}
	if !endsInNumber(host) {
		return "", false, false
	}
	n, ok := parseIPv4(host)
	if !ok {
		return "", true, false
	}
	return strconv.Itoa(int(n>>24)) + "." + strconv.Itoa(int(n>>16&0xff)) + "." + strconv.Itoa(int(n>>8&0xff)) + "." + strconv.Itoa(int(n&0xff)), true, true
}

// endsInNumber is the URL standard's "ends in a number checker": whether
// the last label of host (a trailing dot ignored) is decimal digits or an
// IPv4 number ("0x7f", "0x"), which makes the host an IPv4 address.
func endsInNumber(host string) bool {
	parts := strings.Split(host, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := parseIPv4Number(last)
	return ok
}

// parseIPv4 is the URL standard's IPv4 parser: one to four numbers
// separated by dots (one trailing dot allowed), each decimal, octal (a
// leading 0) or hexadecimal ("0x"), the last filling the bytes the others
// leave.
func parseIPv4(host string) (uint32, bool) {
	parts := strings.Split(host, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return 0, false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := parseIPv4Number(p)
		if !ok {
			return 0, false
		}
		nums[i] = n
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return 0, false
		}
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return 0, false
	}
	ipv4 := last
	for i, n := range nums[:len(nums)-1] {
		ipv4 += n << (8 * (3 - i))
	}
	return uint32(ipv4), true
}

// parseIPv4Number is the URL standard's IPv4 number parser: "" fails,
// "0x" and "0X" start a hexadecimal number ("0x" alone is 0), another
// leading "0" an octal one.
func parseIPv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	if s == "" {
		return 0, true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || base == 16 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
			return 0, false // also "+1", which ParseUint would take
		}
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		// Too big for 64 bits, and so for an address: any value above
		// 2^32 fails the caller's range checks the same way.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 1 << 40, true
		}
		return 0, false
	}
	return n, true
}

// serializeIPv6 is the URL standard's IPv6 serializer: eight pieces in
// lower-case hexadecimal without leading zeros, the first longest run of
// two or more zero pieces written "::". Unlike netip's String, it writes
// an IPv4-mapped address in hexadecimal too ("::ffff:7f00:1").
func serializeIPv6(a [16]byte) string {
	var pieces [8]uint16
	for i := range pieces {
		pieces[i] = uint16(a[2*i])<<8 | uint16(a[2*i+1])
	}
	compress, best := -1, 1
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > best {
			compress, best = i, j-i
		}
		i = j
	}
	var b strings.Builder
	for i := 0; i < 8; i++ {
		if i == compress {
			if i == 0 {
				b.WriteString("::")
			} else {
				b.WriteString(":")
			}
			i += best - 1
			continue
		}
		b.WriteString(strconv.FormatUint(uint64(pieces[i]), 16))
		if i != 7 {
			b.WriteString(":")
		}
	}
	return b.String()
}
