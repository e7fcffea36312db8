package annotate

import (
	"crypto/rand"
	"encoding/binary"
	"strings"
	"sync"
	"time"
)

// Crockford base32: no I, L, O, U, so IDs survive being read aloud or retyped.
const idAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

var (
	idMu   sync.Mutex
	idLast uint64
)

// NewID returns prefix + a 13-character ID that sorts by creation time, so a
// bbolt cursor walks records in the order they were made.
func NewID(prefix string) string {
	idMu.Lock()
	// 44 bits of milliseconds, 20 random bits; strictly increasing within a process.
	ms := uint64(time.Now().UnixMilli()) & (1<<44 - 1)
	var rb [4]byte
	_, _ = rand.Read(rb[:])
	v := ms<<20 | uint64(binary.BigEndian.Uint32(rb[:])&(1<<20-1))
	if v <= idLast {
		v = idLast + 1
	}
	idLast = v
	idMu.Unlock()
	var b strings.Builder
	b.WriteString(prefix)
	for i := 12; i >= 0; i-- {
		b.WriteByte(idAlphabet[(v>>(uint(i)*5))&31])
	}
	return b.String()
}

// ID prefixes, so a bare ID says what it names.
const (
	SourcePrefix     = "s"
	AnnotationPrefix = "a"
	CodePrefix       = "c"
	TargetPrefix     = "t"
	LinkPrefix       = "l"
)
