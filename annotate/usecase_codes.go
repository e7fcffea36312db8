package annotate

// The codebook is a tree; these walks are the one place it is traversed.
// Every walk is bounded, so a cycle in a damaged file cannot hang it.

// CodeTree is the codebook in tree order, parents before their children;
// a code whose parent is missing counts as top level. The first nine get
// the tagging keys 1–9.
func (x *Index) CodeTree() []*Code {
	children := map[string][]*Code{}
	for i := range x.P.Codes {
		c := &x.P.Codes[i]
		p := c.Parent
		if p != "" && x.Code[p] == nil {
			p = ""
		}
		children[p] = append(children[p], c)
	}
	out := make([]*Code, 0, len(x.P.Codes))
	seen := map[string]bool{}
	var walk func(parent string)
	walk = func(parent string) {
		for _, c := range children[parent] {
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			out = append(out, c)
			walk(c.ID)
		}
	}
	walk("")
	return out
}

// CodeDepth is how many ancestors a code has.
func (x *Index) CodeDepth(id string) int {
	d := 0
	c := x.Code[id]
	for c != nil && c.Parent != "" && d < len(x.P.Codes) {
		c = x.Code[c.Parent]
		if c == nil {
			break
		}
		d++
	}
	return d
}

// Within reports whether code id is anc or lies below it.
func (x *Index) Within(id, anc string) bool {
	for n := 0; id != "" && n <= len(x.P.Codes); n++ {
		if id == anc {
			return true
		}
		c := x.Code[id]
		if c == nil {
			return false
		}
		id = c.Parent
	}
	return false
}

// Subtree is the set of the given codes and all their descendants.
func (x *Index) Subtree(ids ...string) map[string]bool {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out
	}
	for _, c := range x.P.Codes {
		for _, id := range ids {
			if x.Within(c.ID, id) {
				out[c.ID] = true
				break
			}
		}
	}
	for _, id := range ids {
		out[id] = true
	}
	return out
}
