package annotate

import "strings"

// MergeChange builds the change that adds project q (e.g. read from a
// REFI-QDA archive) to the project indexed by x: codes and stance targets
// whose names (and, for codes, parents) match are shared, everything else
// is added; records whose IDs are taken get new ones. A source whose text
// is already in the project is still added, because its annotations in q
// are separate work; the caller can report the duplicate.
func MergeChange(x *Index, q *Project) Change {
	c := Change{Label: "Import project"}
	remap := map[string]string{}
	taken := func(id string) bool {
		return x.Source[id] != nil || x.Code[id] != nil || x.Target[id] != nil || hasAnn(x.P, id) || hasLink(x.P, id)
	}
	fresh := func(id, prefix string) string {
		if taken(id) {
			n := NewID(prefix)
			remap[id] = n
			return n
		}
		remap[id] = id
		return id
	}
	// Parents before children, so a child's parent is already remapped.
	codes := append([]Code(nil), q.Codes...)
	for placed := 0; placed < len(codes); {
		progressed := false
		for i := placed; i < len(codes); i++ {
			cd := codes[i]
			if _, ok := remap[cd.Parent]; cd.Parent != "" && !ok {
				continue
			}
			cd.Parent = remap[cd.Parent]
			if ex := findCode(x.P, cd.Name, cd.Parent); ex != nil {
				remap[cd.ID] = ex.ID
			} else {
				cd.ID = fresh(cd.ID, CodePrefix)
				c.PutCodes = append(c.PutCodes, cd)
			}
			codes[i], codes[placed] = codes[placed], codes[i]
			placed++
			progressed = true
		}
		if !progressed { // a parent cycle or a missing parent: validation will name it
			for _, cd := range codes[placed:] {
				cd.ID = fresh(cd.ID, CodePrefix)
				c.PutCodes = append(c.PutCodes, cd)
			}
			break
		}
	}
	for _, t := range q.Targets {
		if ex, ok := x.TargetByName(t.Name); ok {
			remap[t.ID] = ex.ID
			continue
		}
		t.ID = fresh(t.ID, TargetPrefix)
		c.PutTargets = append(c.PutTargets, t)
	}
	for _, s := range q.Sources {
		s.ID = fresh(s.ID, SourcePrefix)
		c.PutSources = append(c.PutSources, s)
	}
	for i := range c.PutSources {
		for j, o := range c.PutSources[i].Originals {
			if n, ok := remap[o]; ok {
				c.PutSources[i].Originals[j] = n
			}
		}
	}
	for _, a := range q.Annotations {
		a.ID = fresh(a.ID, AnnotationPrefix)
		a.SourceID = remap[a.SourceID]
		codes := make([]string, 0, len(a.Codes))
		for _, id := range a.Codes {
			codes = append(codes, remap[id])
		}
		a.Codes = codes
		st := make([]StanceMark, 0, len(a.Stances))
		for _, m := range a.Stances {
			st = append(st, StanceMark{Target: remap[m.Target], Stance: m.Stance})
		}
		a.Stances = st
		c.PutAnnotations = append(c.PutAnnotations, a)
	}
	for _, k := range q.Links {
		k.ID = fresh(k.ID, LinkPrefix)
		k.From.SourceID = remap[k.From.SourceID]
		to := make([]Anchor, len(k.To))
		for i, t := range k.To {
			t.SourceID = remap[t.SourceID]
			to[i] = t
		}
		k.To = to
		c.PutLinks = append(c.PutLinks, k)
	}
	return c
}

func findCode(p *Project, name, parent string) *Code {
	for i := range p.Codes {
		if strings.EqualFold(p.Codes[i].Name, name) && p.Codes[i].Parent == parent {
			return &p.Codes[i]
		}
	}
	return nil
}

func hasAnn(p *Project, id string) bool {
	for _, a := range p.Annotations {
		if a.ID == id {
			return true
		}
	}
	return false
}

func hasLink(p *Project, id string) bool {
	for _, k := range p.Links {
		if k.ID == id {
			return true
		}
	}
	return false
}
