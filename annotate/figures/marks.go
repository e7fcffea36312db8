package figures

import (
	"fmt"
	"sort"
	"strings"

	"gloss/annotate"
)

// OverridesFrom collects the analyst's figure marks stored on the sources
// (annotate.Source.FigureMarks) as the Overrides every grouping applies.
// Figures sharing a group name form one Merge set, in name order.
func OverridesFrom(sources []annotate.Source) Overrides {
	var ov Overrides
	sets := map[string][]string{}
	for _, s := range sources {
		for _, m := range s.FigureMarks {
			if m.Ignore {
				ov.Ignore = append(ov.Ignore, m.Figure)
				continue
			}
			if m.Group != "" {
				sets[m.Group] = append(sets[m.Group], m.Figure)
			}
			if m.Split {
				ov.Split = append(ov.Split, m.Figure)
			}
			if m.Preferred {
				ov.Preferred = append(ov.Preferred, m.Figure)
			}
		}
	}
	names := make([]string, 0, len(sets))
	for n := range sets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ov.Merge = append(ov.Merge, sets[n])
	}
	return ov
}

// Action is one correction the analyst makes to the figures table.
type Action int

const (
	// Merge puts the figures in one group (Group names it; empty: the
	// group one of them already has, else the first figure's ID).
	Merge Action = iota
	// SplitOut takes each figure out of its group: it stands alone.
	SplitOut
	// Prefer marks one figure as the one to use in its group; the mark
	// leaves the other figures of that group.
	Prefer
	// NotFigure says the numbers are not figures.
	NotFigure
	// Clear drops every mark of the figures.
	Clear
)

func (a Action) String() string {
	return [...]string{"Merge figures", "Split out figures", "Use this figure", "Not a figure", "Clear figure marks"}[a]
}

// Sources finds a source's stored record (metadata and marks).
type Sources func(id string) (annotate.Source, bool)

// Peers names the other figures of a figure's group in the current table
// (nil when it stands alone or is not in the table).
type Peers func(id string) []string

// PeersIn are the peers of figures in groups made by Groups or Table (their
// Figures filled).
func PeersIn(groups []Group) Peers {
	return func(id string) []string {
		for _, g := range groups {
			if !hasFigure(g, id) {
				continue
			}
			var out []string
			for _, f := range g.Figures {
				if f.ID != id {
					out = append(out, f.ID)
				}
			}
			return out
		}
		return nil
	}
}

// MarkChange is the change that makes action a on the figures ids: a put
// of every source whose marks change, one undoable step. peers are the
// current table's (Prefer takes the mark from the other figures of the
// figure's group; nil when no table is at hand); group names a Merge.
// Figure IDs must be well formed and name existing sources.
func MarkChange(src Sources, peers Peers, a Action, ids []string, group string) (annotate.Change, error) {
	c := annotate.Change{Label: a.String()}
	if len(ids) == 0 {
		return c, fmt.Errorf("%s: no figure given", strings.ToLower(a.String()))
	}
	if a == Prefer && len(ids) != 1 {
		return c, fmt.Errorf("use this figure: give one figure, not %d", len(ids))
	}
	group = strings.TrimSpace(group)
	edited := map[string]*annotate.Source{}
	var order []string
	load := func(fig string) (*annotate.Source, error) {
		sid, _, _, ok := annotate.ParseFigureID(fig)
		if !ok {
			return nil, fmt.Errorf("figure %q: not a figure ID (source:start-end)", fig)
		}
		if s := edited[sid]; s != nil {
			return s, nil
		}
		s, ok := src(sid)
		if !ok {
			return nil, fmt.Errorf("figure %s: no source with id %q", fig, sid)
		}
		s.FigureMarks = append([]annotate.FigureMark(nil), s.FigureMarks...)
		edited[sid] = &s
		order = append(order, sid)
		return &s, nil
	}
	// set rewrites the mark of one figure; a mark left saying nothing goes.
	set := func(fig string, fn func(m *annotate.FigureMark)) error {
		s, err := load(fig)
		if err != nil {
			return err
		}
		k := -1
		for i, m := range s.FigureMarks {
			if m.Figure == fig {
				k = i
			}
		}
		if k < 0 {
			s.FigureMarks = append(s.FigureMarks, annotate.FigureMark{Figure: fig})
			k = len(s.FigureMarks) - 1
		}
		fn(&s.FigureMarks[k])
		if m := s.FigureMarks[k]; !m.Split && !m.Preferred && !m.Ignore && m.Group == "" {
			s.FigureMarks = append(s.FigureMarks[:k], s.FigureMarks[k+1:]...)
		}
		return nil
	}
	if a == Merge && group == "" {
		// Keep a name one of them already has, so merging into a merged
		// group extends it.
		for _, id := range ids {
			if s, err := load(id); err == nil {
				for _, m := range s.FigureMarks {
					if m.Figure == id && m.Group != "" && group == "" {
						group = m.Group
					}
				}
			}
		}
		if group == "" {
			group = ids[0]
		}
	}
	for _, id := range ids {
		var err error
		switch a {
		case Merge:
			// A split figure stays out of the group Gloss gave it: merged,
			// it moves to this one.
			err = set(id, func(m *annotate.FigureMark) { m.Group, m.Ignore = group, false })
		case SplitOut:
			err = set(id, func(m *annotate.FigureMark) { m.Group, m.Split, m.Preferred, m.Ignore = "", true, false, false })
		case NotFigure:
			err = set(id, func(m *annotate.FigureMark) { *m = annotate.FigureMark{Figure: m.Figure, Ignore: true} })
		case Clear:
			err = set(id, func(m *annotate.FigureMark) { *m = annotate.FigureMark{Figure: m.Figure} })
		case Prefer:
			var others []string
			if peers != nil {
				others = peers(id)
			}
			for _, o := range others {
				if o != id && markOf(edited, src, o).Preferred {
					if err := set(o, func(m *annotate.FigureMark) { m.Preferred = false }); err != nil {
						return c, err
					}
				}
			}
			err = set(id, func(m *annotate.FigureMark) { m.Preferred, m.Ignore = true, false })
		default:
			err = fmt.Errorf("unknown figure action %d", a)
		}
		if err != nil {
			return c, err
		}
	}
	for _, sid := range order {
		c.PutSources = append(c.PutSources, *edited[sid])
	}
	return c, nil
}

func hasFigure(g Group, id string) bool {
	for _, f := range g.Figures {
		if f.ID == id {
			return true
		}
	}
	return false
}

// markOf is a figure's current mark, edited or stored.
func markOf(edited map[string]*annotate.Source, src Sources, fig string) annotate.FigureMark {
	sid, _, _, _ := annotate.ParseFigureID(fig)
	s, ok := edited[sid], true
	if s == nil {
		var v annotate.Source
		v, ok = src(sid)
		s = &v
	}
	if ok {
		for _, m := range s.FigureMarks {
			if m.Figure == fig {
				return m
			}
		}
	}
	return annotate.FigureMark{}
}
