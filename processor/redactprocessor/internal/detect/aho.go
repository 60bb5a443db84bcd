// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect // import "github.com/flightlog/flightlog/processor/redactprocessor/internal/detect"

// automaton is an Aho-Corasick automaton over ASCII-case-folded bytes, compiled to a
// full transition table: one table lookup per input byte finds every keyword of every
// detector in a single pass. The table's columns are byte classes, not bytes: every byte
// that no keyword holds shares class 0. With gitleaks' keywords the automaton has about
// 1,600 states: 256 columns of int32 made a 1.6 MB table that missed the cache on clean
// lines (+27 % a line in BenchmarkFind/no_keyword); about 50 classes of int32 make 320 KB.
type automaton struct {
	// next[row+class[c]] is the row of the state after byte c, where a state's row is its
	// number times width; negative when patterns end in that state. Rows save a multiply,
	// the sign a look at out, on every byte.
	next  []int32
	class [256]uint8
	width int
	delta [][256]int32 // the full table while building
	// out[state] lists the patterns that end in state.
	out [][]int32
	// lens[pattern] is the pattern's length in bytes.
	lens []int
}

var fold [256]byte

func init() {
	for i := range fold {
		c := byte(i)
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		fold[i] = c
	}
}

func newAutomaton(patterns []string) *automaton {
	a := &automaton{delta: make([][256]int32, 1), out: make([][]int32, 1), lens: make([]int, len(patterns))}
	// A trie first; -1 marks a missing edge.
	for i := range a.delta[0] {
		a.delta[0][i] = -1
	}
	for id, p := range patterns {
		a.lens[id] = len(p)
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := fold[p[i]]
			if a.delta[s][c] < 0 {
				a.delta = append(a.delta, [256]int32{})
				a.out = append(a.out, nil)
				n := int32(len(a.delta) - 1)
				for j := range a.delta[n] {
					a.delta[n][j] = -1
				}
				a.delta[s][c] = n
			}
			s = a.delta[s][c]
		}
		a.out[s] = append(a.out[s], int32(id))
	}
	// Breadth first: failure links, and missing edges filled from the failure state.
	fail := make([]int32, len(a.delta))
	var queue []int32
	for c := range 256 {
		if n := a.delta[0][c]; n < 0 {
			a.delta[0][c] = 0
		} else {
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		a.out[s] = append(a.out[s], a.out[fail[s]]...)
		for c := range 256 {
			n := a.delta[s][c]
			if n < 0 {
				a.delta[s][c] = a.delta[fail[s]][c]
				continue
			}
			fail[n] = a.delta[fail[s]][c]
			queue = append(queue, n)
		}
	}
	a.compress(patterns)
	return a
}

// compress replaces the full table by one whose columns are byte classes: a class per
// folded byte that some pattern holds, and class 0 for all other bytes, which move every
// state as a byte of no pattern does.
func (a *automaton) compress(patterns []string) {
	col := []int{0x00} // class 0 takes its column from NUL, which no pattern holds
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			if c := fold[p[i]]; a.class[c] == 0 && c != 0 {
				a.class[c] = uint8(len(col))
				col = append(col, int(c))
			}
		}
	}
	for c := range a.class {
		a.class[c] = a.class[fold[c]]
	}
	a.width = len(col)
	a.next = make([]int32, len(a.delta)*a.width)
	for s := range a.delta {
		for k, c := range col {
			n := a.delta[s][c]
			row := n * int32(a.width)
			if len(a.out[n]) > 0 {
				row = -row // the root, row 0, ends no pattern
			}
			a.next[s*a.width+k] = row
		}
	}
	a.delta = nil
}

// ends returns the patterns that end in the state of row.
func (a *automaton) ends(row int32) []int32 { return a.out[int(row)/a.width] }
