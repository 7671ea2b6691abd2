package live

import (
	"context"
	"time"
)

// memory is the in-process broker.
type memory struct{ h *hub }

// NewMemory returns an in-process broker with the default Options, for one
// instance.
func NewMemory() Broker { return NewMemoryWith(Options{}) }

// NewMemoryWith returns an in-process broker.
//
// The first id of a topic is the clock in microseconds when the broker
// first sees it, and every event adds one: ids stay below 2^53 (exact in
// JavaScript), and a client that resumes after a restart, or after the topic
// was evicted, holds an id that is either older than the retained events or
// unknown, and gets a reset rather than another event's id.
func NewMemoryWith(opts Options) Broker {
	return &memory{h: newHub(opts, func() uint64 { return uint64(time.Now().UnixMicro()) })}
}

func (m *memory) Publish(ctx context.Context, topic, typ string, revision int64, data []byte) (Event, error) {
	if err := validate(topic, typ); err != nil {
		return Event{}, err
	}
	if err := ctx.Err(); err != nil {
		return Event{}, err
	}
	return m.h.publish(topic, typ, revision, clone(data))
}

func (m *memory) Subscribe(ctx context.Context, topic string, lastEventID uint64) (*Subscription, error) {
	if err := validate(topic, ""); err != nil {
		return nil, err
	}
	return m.h.attach(ctx, topic, lastEventID, nil, false)
}

func (m *memory) Close() error {
	m.h.close()
	return nil
}

// clone copies data, keeping nil as nil.
func clone(data []byte) []byte {
	if data == nil {
		return nil
	}
	return append(make([]byte, 0, len(data)), data...)
}
