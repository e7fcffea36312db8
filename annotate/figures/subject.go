package figures

import (
	"hash/maphash"

	"gloss/annotate/overlap"
)

// bag is a figure's subject as overlap reads it, kept compact: a report
// groups hundreds of thousands of figures, and an overlap.Bag with its two
// lookup maps costs about 1.7 KB each. Stems are 64-bit hashes (within one
// process), held in one slice:
//
//	zhEnd[nZh] | en[nEn] | gl[nGl] | terms[nT]
//
// en are the English stems, gl the Chinese words' gloss stems one word
// after another (zhEnd: where each word's end in gl), terms the distinct
// stems in overlap.Bag.Terms order, which lookups scan (a clause has a
// dozen, fewer than a sorted copy would save). Most clauses repeat no
// stem: their terms are en and gl as they stand, and nT is 0 (a copy
// was a third of all subjects).
// score gives exactly overlap.Score of the bags it was made from.
type bag struct {
	d                 []uint64
	nEn, nZh, nGl, nT uint16
}

var stemSeed = maphash.MakeSeed()

func stemHash(s string) uint64 { return maphash.String(stemSeed, s) }

// compact copies b; a passage too long for 65,535 stems of a kind (never a
// clause) keeps its first ones.
func compact(b overlap.Bag) bag {
	en, zh := b.English(), b.Chinese()
	en = en[:min(len(en), 0xffff)]
	zh = zh[:min(len(zh), 0xffff)]
	nGl := 0
	for _, g := range zh {
		nGl += len(g)
	}
	if nGl > 0xffff {
		return compact(overlap.Bag{}) // as no subject: scores 0 with all
	}
	terms := b.Terms()
	if len(terms) == len(en)+nGl {
		terms = nil // no stem repeats: the terms are en and gl
	}
	d := make([]uint64, 0, len(en)+len(zh)+nGl+len(terms))
	end := 0
	for _, g := range zh {
		end += len(g)
		d = append(d, uint64(end))
	}
	for _, s := range en {
		d = append(d, stemHash(s))
	}
	for _, g := range zh {
		for _, s := range g {
			d = append(d, stemHash(s))
		}
	}
	for _, s := range terms {
		d = append(d, stemHash(s))
	}
	return bag{d: d, nEn: uint16(len(en)), nZh: uint16(len(zh)), nGl: uint16(nGl), nT: uint16(len(terms))}
}

func (b *bag) size() int { return int(b.nEn) + int(b.nZh) }

func (b *bag) zhEnd() []uint64 { return b.d[:b.nZh] }

func (b *bag) en() []uint64 { return b.d[b.nZh : int(b.nZh)+int(b.nEn)] }

func (b *bag) gl() []uint64 {
	at := int(b.nZh) + int(b.nEn)
	return b.d[at : at+int(b.nGl)]
}

// terms lists the distinct stems: two bags that score above zero share one.
func (b *bag) terms() []uint64 {
	at := int(b.nZh) + int(b.nEn) + int(b.nGl)
	if b.nT == 0 {
		return b.d[b.nZh:at] // en and gl repeat no stem
	}
	return b.d[at : at+int(b.nT)]
}

func (b *bag) has(h uint64) bool {
	for _, t := range b.terms() {
		if t == h {
			return true
		}
	}
	return false
}

// score is overlap.Score: the F1 of the words of each side found on the other.
func score(a, b *bag) float64 {
	if a.size() == 0 || b.size() == 0 {
		return 0
	}
	return overlap.F1(found(a, b), found(b, a))
}

// found is the share of a's words found in b: an English stem when b has
// it, a Chinese word when b has one of its gloss stems.
func found(a, b *bag) float64 {
	hit := 0
	for _, s := range a.en() {
		if b.has(s) {
			hit++
		}
	}
	gl, start := a.gl(), 0
	for _, end := range a.zhEnd() {
		for _, s := range gl[start:end] {
			if b.has(s) {
				hit++
				break
			}
		}
		start = int(end)
	}
	return float64(hit) / float64(a.size())
}
