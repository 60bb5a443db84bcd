// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package fingerprint

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNewKeepsAtMostSizeBytes(t *testing.T) {
	long := bytes.Repeat([]byte("x"), 3*Size)
	f := New(long)
	assert.Equal(t, Size, f.Len())
	long[0] = 'y'
	assert.Equal(t, byte('x'), f.Bytes()[0], "New keeps a copy")
	assert.Empty(t, New(nil).Hash(), "an empty file has no hash")
}

func TestAppendExtendsOnlyWhatContinuesTheFingerprint(t *testing.T) {
	f := New([]byte("hello "))
	f.Append([]byte("far away"), 100) // a read further on
	assert.Equal(t, "hello ", string(f.Bytes()))
	f.Append([]byte("lo world"), 3) // overlaps what it covers
	assert.Equal(t, "hello world", string(f.Bytes()))
	assert.Equal(t, New([]byte("hello world")).Hash(), f.Hash())
}

func TestStartsWithRecognisesTheSameFileGrown(t *testing.T) {
	old := New([]byte("line 1\n"))
	grown := New([]byte("line 1\nline 2\n"))
	assert.True(t, grown.StartsWith(old))
	assert.False(t, old.StartsWith(grown))
	assert.False(t, New([]byte("other\n")).StartsWith(old))
	assert.False(t, grown.StartsWith(New(nil)), "an empty fingerprint matches nothing")
}

func TestHasPrefixHashMatchesACheckpointedFingerprint(t *testing.T) {
	checkpointed := New([]byte("line 1\n"))
	grown := New([]byte("line 1\nline 2\n"))
	assert.True(t, grown.HasPrefixHash(checkpointed.Len(), checkpointed.Hash()))
	assert.False(t, New([]byte("line 2\nline 1\n")).HasPrefixHash(checkpointed.Len(), checkpointed.Hash()))
	assert.False(t, New([]byte("line")).HasPrefixHash(checkpointed.Len(), checkpointed.Hash()), "shorter than what was checkpointed")
	assert.False(t, grown.HasPrefixHash(0, ""))
}

func TestIsPrefixOfTellsARewrittenHead(t *testing.T) {
	f := New([]byte("line 1\n"))
	assert.True(t, f.IsPrefixOf([]byte("line 1\nline 2\n")))
	assert.False(t, f.IsPrefixOf([]byte("LINE 1\nline 2\n")), "rewritten in place")
	assert.False(t, f.IsPrefixOf([]byte("line")), "shorter than the fingerprint")
	assert.False(t, New(nil).IsPrefixOf([]byte("anything")), "an empty fingerprint matches nothing")
}

func TestTailTellsFilesThatBeginAlikeApart(t *testing.T) {
	banner := bytes.Repeat([]byte("#### banner ####\n"), 100)
	first := append(append([]byte{}, banner...), "first line=000001\n"...)
	second := append(append([]byte{}, banner...), "other line=000001\n"...)
	assert.True(t, New(second).StartsWith(New(first[:Size])), "their first bytes agree")
	tail := TailOf(first)
	assert.Equal(t, TailSize, tail.Len, "only the last TailSize bytes count")
	assert.True(t, tail.Matches(first[len(first)-TailSize:]))
	assert.False(t, tail.Matches(second[len(second)-TailSize:]), "the bytes before the offset differ")
	assert.False(t, tail.Matches(first[len(first)-TailSize+1:]), "a shorter range is not the same range")
	assert.True(t, TailOf(nil).Matches(nil), "offset 0 needs no bytes")
	assert.Equal(t, 5, TailOf([]byte("short")).Len, "near the start of a file the tail is shorter")
}

func TestVerifyReadsTheBytesBeforeAnOffset(t *testing.T) {
	file := bytes.NewReader([]byte(strings.Repeat("a line of the file\n", 40)))
	at := int64(file.Len() - 19)
	tail := TailOf(Before(file, at))
	got, ok := tail.Verify(file, at)
	assert.True(t, ok)
	assert.Len(t, got, TailSize)
	_, ok = tail.Verify(file, at-1)
	assert.False(t, ok, "another offset")
	_, ok = Tail{}.Verify(file, at)
	assert.False(t, ok, "a tail of nothing verifies no offset but 0")
	_, ok = Tail{}.Verify(file, 0)
	assert.True(t, ok)
}
