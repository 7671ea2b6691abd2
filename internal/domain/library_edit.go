package domain

import "slices"

// Item kinds of a library's content, as used in edit forms and ItemRef.
const (
	KindHorizon        = "horizon"
	KindDrivingForce   = "driving_force"
	KindTension        = "tension"
	KindTrend          = "trend"
	KindCapabilityArea = "capability_area"
)

// ValidKind reports whether kind names a list of content items.
func ValidKind(kind string) bool {
	switch kind {
	case KindHorizon, KindDrivingForce, KindTension, KindTrend, KindCapabilityArea:
		return true
	}
	return false
}

// Keys returns the keys of the items of one kind, in order.
func (c *Content) Keys(kind string) []string {
	var ks []string
	switch kind {
	case KindHorizon:
		for _, x := range c.Horizons {
			ks = append(ks, x.Key)
		}
	case KindDrivingForce:
		for _, x := range c.DrivingForces {
			ks = append(ks, x.Key)
		}
	case KindTension:
		for _, x := range c.Tensions {
			ks = append(ks, x.Key)
		}
	case KindTrend:
		for _, x := range c.Trends {
			ks = append(ks, x.Key)
		}
	case KindCapabilityArea:
		for _, x := range c.CapabilityAreas {
			ks = append(ks, x.Key)
		}
	}
	return ks
}

// UniqueKey returns base, or base with a numeric suffix, that no item of the
// kind uses yet.
func (c *Content) UniqueKey(kind, base string) string {
	if base == "" {
		base = kind
	}
	used := c.Keys(kind)
	key := base
	for n := 2; slices.Contains(used, key); n++ {
		key = base + "-" + itoa(n)
	}
	return key
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// RemoveItem removes the item of the kind with the key. Removing a driving
// force, horizon or capability area also removes the references trends
// make to it (a capability area takes the trends' demand links on it along).
// It returns ENOTFOUND if there is no such item.
func (c *Content) RemoveItem(kind, key string) error {
	found := false
	del := func(n int, keyAt func(int) string) int {
		for i := 0; i < n; i++ {
			if keyAt(i) == key {
				found = true
				return i
			}
		}
		return -1
	}
	switch kind {
	case KindHorizon:
		if i := del(len(c.Horizons), func(i int) string { return c.Horizons[i].Key }); i >= 0 {
			c.Horizons = slices.Delete(c.Horizons, i, i+1)
			for j := range c.Trends {
				if c.Trends[j].Horizon == key {
					c.Trends[j].Horizon = ""
				}
			}
		}
	case KindDrivingForce:
		if i := del(len(c.DrivingForces), func(i int) string { return c.DrivingForces[i].Key }); i >= 0 {
			c.DrivingForces = slices.Delete(c.DrivingForces, i, i+1)
			for j := range c.Trends {
				c.Trends[j].DrivingForces = slices.DeleteFunc(slices.Clone(c.Trends[j].DrivingForces), func(k string) bool { return k == key })
			}
		}
	case KindTension:
		if i := del(len(c.Tensions), func(i int) string { return c.Tensions[i].Key }); i >= 0 {
			c.Tensions = slices.Delete(c.Tensions, i, i+1)
		}
	case KindTrend:
		if i := del(len(c.Trends), func(i int) string { return c.Trends[i].Key }); i >= 0 {
			c.Trends = slices.Delete(c.Trends, i, i+1)
		}
	case KindCapabilityArea:
		if i := del(len(c.CapabilityAreas), func(i int) string { return c.CapabilityAreas[i].Key }); i >= 0 {
			c.CapabilityAreas = slices.Delete(c.CapabilityAreas, i, i+1)
			for j := range c.Trends {
				c.Trends[j].Demands = slices.DeleteFunc(slices.Clone(c.Trends[j].Demands), func(d Demand) bool { return d.Area == key })
				if len(c.Trends[j].Demands) == 0 {
					c.Trends[j].Demands = nil
				}
			}
		}
	}
	if !found {
		return Errorf(ENOTFOUND, "There is no %s %q in this version.", kindName(kind), key)
	}
	return nil
}

// MoveItem moves the item of the kind with the key by delta places (−1 up,
// +1 down), staying within the list. It returns ENOTFOUND if there is no
// such item.
func (c *Content) MoveItem(kind, key string, delta int) error {
	i := slices.Index(c.Keys(kind), key)
	if i < 0 {
		return Errorf(ENOTFOUND, "There is no %s %q in this version.", kindName(kind), key)
	}
	j := min(max(i+delta, 0), len(c.Keys(kind))-1)
	switch kind {
	case KindHorizon:
		move(c.Horizons, i, j)
	case KindDrivingForce:
		move(c.DrivingForces, i, j)
	case KindTension:
		move(c.Tensions, i, j)
	case KindTrend:
		move(c.Trends, i, j)
	case KindCapabilityArea:
		move(c.CapabilityAreas, i, j)
	}
	return nil
}

func move[T any](s []T, i, j int) {
	x := s[i]
	if i < j {
		copy(s[i:j], s[i+1:j+1])
	} else {
		copy(s[j+1:i+1], s[j:i])
	}
	s[j] = x
}

func kindName(kind string) string {
	switch kind {
	case KindDrivingForce:
		return "driving force"
	case KindTension:
		return "field of tension"
	case KindCapabilityArea:
		return "capability area"
	}
	return kind
}

// Clone returns a deep copy of the content.
func (c *Content) Clone() *Content {
	out := *c
	out.Horizons = slices.Clone(c.Horizons)
	out.DrivingForces = slices.Clone(c.DrivingForces)
	out.Tensions = slices.Clone(c.Tensions)
	out.CapabilityAreas = slices.Clone(c.CapabilityAreas)
	out.Trends = make([]Trend, len(c.Trends))
	for i, t := range c.Trends {
		t.DrivingForces = slices.Clone(t.DrivingForces)
		t.Indicators = slices.Clone(t.Indicators)
		t.Sources = slices.Clone(t.Sources)
		t.Questions = slices.Clone(t.Questions)
		t.Tags = slices.Clone(t.Tags)
		t.Demands = slices.Clone(t.Demands)
		out.Trends[i] = t
	}
	if c.Trends == nil {
		out.Trends = nil
	}
	return &out
}
