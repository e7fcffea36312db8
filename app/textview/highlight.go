package textview

import (
	"sort"
)

// highlightSet holds highlights sorted by start, with what a frame needs to
// find the few that touch the visible text among thousands.
type highlightSet struct {
	hs     []Highlight // sorted by Start, then longer first
	maxEnd []int       // maxEnd[i] = max End of hs[0..i]
	lane   []int       // band position, stable along a highlight: overlapping highlights never share a lane
	byID   map[string][]int
}

func (s *highlightSet) set(in []Highlight, n int) {
	hs := make([]Highlight, 0, len(in))
	for _, h := range in {
		h.Start, h.End = clampInt(h.Start, 0, n), clampInt(h.End, 0, n)
		if h.End < h.Start {
			h.Start, h.End = h.End, h.Start
		}
		if h.End > h.Start {
			hs = append(hs, h)
		}
	}
	sort.SliceStable(hs, func(i, j int) bool {
		if hs[i].Start != hs[j].Start {
			return hs[i].Start < hs[j].Start
		}
		return hs[i].End > hs[j].End
	})
	s.hs = hs
	s.index()
}

// clamp drops or trims highlights after the text changed length.
func (s *highlightSet) clamp(n int) {
	if len(s.hs) > 0 {
		s.set(s.hs, n)
	}
}

func (s *highlightSet) index() {
	n := len(s.hs)
	s.maxEnd = make([]int, n)
	s.lane = make([]int, n)
	s.byID = make(map[string][]int, n)
	m := 0
	// Greedy interval colouring: laneEnd[k] is where lane k frees up.
	var laneEnd []int
	for i, h := range s.hs {
		m = max(m, h.End)
		s.maxEnd[i] = m
		k := 0
		for k < len(laneEnd) && laneEnd[k] > h.Start {
			k++
		}
		if k == len(laneEnd) {
			laneEnd = append(laneEnd, 0)
		}
		laneEnd[k] = h.End
		s.lane[i] = k
		s.byID[h.ID] = append(s.byID[h.ID], i)
	}
}

// overlapping appends to dst the indexes of highlights that intersect
// [a, b), in order of start.
func (s *highlightSet) overlapping(dst []int, a, b int) []int {
	k := sort.Search(len(s.hs), func(i int) bool { return s.hs[i].Start >= b })
	first := len(dst)
	for i := k - 1; i >= 0 && s.maxEnd[i] > a; i-- {
		if s.hs[i].End > a {
			dst = append(dst, i)
		}
	}
	// Reverse to ascending order.
	for i, j := first, len(dst)-1; i < j; i, j = i+1, j-1 {
		dst[i], dst[j] = dst[j], dst[i]
	}
	return dst
}

// at returns the highlights containing offset, shortest first.
func (s *highlightSet) at(offset int) []int {
	idx := s.overlapping(nil, offset, offset+1)
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := s.hs[idx[i]], s.hs[idx[j]]
		return a.End-a.Start < b.End-b.Start
	})
	return idx
}
