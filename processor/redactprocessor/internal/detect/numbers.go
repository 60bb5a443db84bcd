// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect // import "github.com/flightlog/flightlog/processor/redactprocessor/internal/detect"

// findSSN matches a US social security number, ddd-dd-dddd, with the Social Security
// Administration's rules: no area 000, 666 or 9xx, no group 00, no serial 0000.
func findSSN(s string, i int) (Span, bool) {
	if i+11 > len(s) || s[i+3] != '-' || s[i+6] != '-' || (i+11 < len(s) && (isAlnum(s[i+11]) || s[i+11] == '-')) {
		return Span{}, false
	}
	for _, k := range []int{0, 1, 2, 4, 5, 7, 8, 9, 10} {
		if !isDigit(s[i+k]) {
			return Span{}, false
		}
	}
	area, group, serial := s[i:i+3], s[i+4:i+6], s[i+7:i+11]
	if area == "000" || area == "666" || area[0] == '9' || group == "00" || serial == "0000" {
		return Span{}, false
	}
	return Span{Start: i, End: i + 11, Type: "us_ssn"}, true
}

// findCard matches 13 to 19 digits, optionally in groups split by single spaces or
// dashes, that start with a card network's prefix and pass the Luhn check.
func findCard(s string, i int) (Span, bool) {
	var digits [19]byte
	n, j, end := 0, i, i
	var sep byte
	for j < len(s) {
		c := s[j]
		if isDigit(c) {
			if n == len(digits) {
				return Span{}, false // longer than any card number
			}
			digits[n] = c
			n++
			j++
			end = j
			continue
		}
		if (c == ' ' || c == '-') && j+1 < len(s) && isDigit(s[j+1]) && end == j && (sep == 0 || sep == c) {
			sep = c
			j++
			continue
		}
		break
	}
	if n < 13 || (end < len(s) && isAlnum(s[end])) {
		return Span{}, false
	}
	d := digits[:n]
	if !cardPrefix(d) || !luhnDigits(d) {
		return Span{}, false
	}
	return Span{Start: i, End: end, Type: "credit_card"}, true
}

func cardPrefix(d []byte) bool {
	two := int(d[0]-'0')*10 + int(d[1]-'0')
	four := two*100 + int(d[2]-'0')*10 + int(d[3]-'0')
	n := len(d)
	switch {
	case d[0] == '4':
		return n == 13 || n == 16 || n == 19
	case two >= 51 && two <= 55, four >= 2221 && four <= 2720:
		return n == 16
	case two == 34 || two == 37:
		return n == 15
	case four == 6011, two == 65, four >= 6440 && four <= 6499:
		return n >= 16
	case four >= 3528 && four <= 3589:
		return n >= 16
	case two == 36, two == 38, two == 39, four >= 3000 && four <= 3059:
		return n >= 14
	case two == 62:
		return n >= 16
	case four == 5018, four == 5020, four == 5038, four == 5893, four == 6304, four == 6759, four >= 6761 && four <= 6763:
		return true // Maestro: 13 to 19 digits
	case four >= 2200 && four <= 2204:
		return n >= 16 // Mir
	}
	return false
}

func luhnDigits(d []byte) bool {
	sum := 0
	for k := 0; k < len(d); k++ {
		v := int(d[len(d)-1-k] - '0')
		if k%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// luhn checks the digits of s, ignoring other bytes.
func luhn(s string) bool {
	d := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			d = append(d, s[i])
		}
	}
	return len(d) > 1 && luhnDigits(d)
}

// findIPv4 matches a dotted quad with every part at most 255.
func findIPv4(s string, i int) (Span, bool) {
	if i >= 2 && s[i-1] == '.' && isDigit(s[i-2]) {
		return Span{}, false // the tail of a longer dotted number: v1.2.3.4.5
	}
	j := i
	for part := 0; part < 4; part++ {
		n, v := 0, 0
		for j < len(s) && isDigit(s[j]) && n < 3 {
			v = v*10 + int(s[j]-'0')
			j++
			n++
		}
		if n == 0 || v > 255 {
			return Span{}, false
		}
		if part < 3 {
			if j >= len(s) || s[j] != '.' {
				return Span{}, false
			}
			j++
		}
	}
	if j < len(s) && (isAlnum(s[j]) || (s[j] == '.' && j+1 < len(s) && isDigit(s[j+1]))) {
		return Span{}, false
	}
	return Span{Start: i, End: j, Type: "ip_address"}, true
}

// findPhone matches +<10..15 digits> (spaces or dashes allowed) and (ddd) ddd-dddd.
func findPhone(s string, i int) (Span, bool) {
	j, n := i, 0
	if s[i] == '+' {
		j++
		for j < len(s) && (isDigit(s[j]) || ((s[j] == ' ' || s[j] == '-') && j+1 < len(s) && isDigit(s[j+1]))) {
			if isDigit(s[j]) {
				n++
			}
			j++
		}
		if n < 10 || n > 15 || (j < len(s) && isAlnum(s[j])) {
			return Span{}, false
		}
		return Span{Start: i, End: j, Type: "phone"}, true
	}
	// (ddd) ddd-dddd
	const shape = "(ddd) ddd-dddd"
	if i+len(shape) > len(s) {
		return Span{}, false
	}
	for k := 0; k < len(shape); k++ {
		c := s[i+k]
		if shape[k] == 'd' && !isDigit(c) || shape[k] != 'd' && shape[k] != c {
			return Span{}, false
		}
	}
	if end := i + len(shape); end < len(s) && isAlnum(s[end]) {
		return Span{}, false
	}
	return Span{Start: i, End: i + len(shape), Type: "phone"}, true
}

// findEmail matches local@domain.tld around the '@' at s[i].
func findEmail(s string, i int) (Span, bool) {
	start := i
	for start > 0 && (isAlnum(s[start-1]) || isByteIn(s[start-1], "._%+-")) {
		start--
	}
	end, dot := i+1, -1
	for end < len(s) && (isAlnum(s[end]) || s[end] == '-' || s[end] == '.') {
		if s[end] == '.' {
			dot = end
		}
		end++
	}
	for end > i+1 && s[end-1] == '.' {
		end--
	}
	if start == i || dot < 0 || dot >= end-2 {
		return Span{}, false
	}
	for k := dot + 1; k < end; k++ {
		if !isUpper(s[k]) && !isLower(s[k]) {
			return Span{}, false
		}
	}
	return Span{Start: start, End: end, Type: "email"}, true
}

// findIBAN matches an IBAN (country, check digits, 11 to 30 alphanumerics, optionally in
// groups of four) whose mod-97 checksum is 1.
func findIBAN(s string, i int) (Span, bool) {
	if i+15 > len(s) || !isUpper(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
		return Span{}, false
	}
	var buf [34]byte
	n, j, end := 0, i, i
	for j < len(s) && n < len(buf) {
		c := s[j]
		if isDigit(c) || isUpper(c) {
			buf[n] = c
			n++
			j++
			end = j
			continue
		}
		if c == ' ' && j+1 < len(s) && (isDigit(s[j+1]) || isUpper(s[j+1])) && n%4 == 0 {
			j++
			continue
		}
		break
	}
	if n < 15 || (end < len(s) && isAlnum(s[end])) {
		return Span{}, false
	}
	// Move the first four characters to the end, letters to numbers, then mod 97.
	rem := 0
	for k := 0; k < n; k++ {
		c := buf[(k+4)%n]
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A'+10)) % 97
		}
	}
	if rem != 1 {
		return Span{}, false
	}
	return Span{Start: i, End: end, Type: "iban"}, true
}

func isByteIn(c byte, set string) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return true
		}
	}
	return false
}
