package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"

	"sightline"
)

// EmbeddableItem is a question or dashboard published for static
// embedding, as Admin > Embedding lists it.
type EmbeddableItem struct {
	// Model is sightline.PublicDashboard or sightline.PublicCard.
	Model string
	ID    int64
	Name  string
	// Locked lists the slugs of the parameters a token must lock.
	Locked []string
}

// URL is the item's page in the app.
func (i EmbeddableItem) URL() string {
	if i.Model == sightline.PublicDashboard {
		return fmt.Sprintf("/dashboard/%d", i.ID)
	}
	return fmt.Sprintf("/question/%d", i.ID)
}

// EmbeddableItems lists every dashboard and question published for static
// embedding (enable_embedding on, not archived), dashboards first, each
// group by name (the store's order). Only administrators may.
func (a *App) EmbeddableItems(ctx context.Context, actor *sightline.User) ([]EmbeddableItem, error) {
	dashes, err := a.EmbeddableDashboards(ctx, actor)
	if err != nil {
		return nil, err
	}
	cards, err := a.EmbeddableCards(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := make([]EmbeddableItem, 0, len(dashes)+len(cards))
	for _, d := range dashes {
		out = append(out, EmbeddableItem{Model: sightline.PublicDashboard, ID: d.ID, Name: d.Name, Locked: lockedSlugs(d.EmbeddingParams)})
	}
	for _, c := range cards {
		out = append(out, EmbeddableItem{Model: sightline.PublicCard, ID: c.ID, Name: c.Name, Locked: lockedSlugs(c.EmbeddingParams)})
	}
	return out, nil
}

func lockedSlugs(params map[string]string) []string {
	var out []string
	for slug, mode := range params {
		if mode == sightline.EmbedLocked {
			out = append(out, slug)
		}
	}
	sort.Strings(out)
	return out
}

// UnpublishEmbed turns static embedding off for the dashboard or question
// id (model sightline.PublicDashboard or sightline.PublicCard): tokens
// that name it stop working at once. Its embedding parameters are kept, so
// publishing it again restores them. Only administrators may.
func (a *App) UnpublishEmbed(ctx context.Context, actor *sightline.User, model string, id int64) (string, error) {
	if err := requireAdmin(actor); err != nil {
		return "", err
	}
	var name string
	switch model {
	case sightline.PublicDashboard:
		d, err := a.content.Dashboard(ctx, id)
		if err != nil {
			return "", err
		}
		name = d.Name
		if d.EnableEmbedding {
			d.EnableEmbedding = false
			if _, err := a.UpdateDashboard(ctx, actor, d); err != nil {
				return "", err
			}
		}
	case sightline.PublicCard:
		c, err := a.content.Card(ctx, id)
		if err != nil {
			return "", err
		}
		name = c.Name
		if c.EnableEmbedding {
			c.EnableEmbedding = false
			if _, err := a.UpdateCard(ctx, actor, c); err != nil {
				return "", err
			}
		}
	default:
		return "", sightline.Errorf(sightline.EINVALID, "Only a dashboard or a question can be unpublished.")
	}
	a.audit(ctx, actor, "embed.unpublish", jsonDetail(map[string]any{"model": model, "id": id}))
	return name, nil
}

// embeddingSecretBytes is the entropy of a generated embedding secret key
// (64 hexadecimal characters, the length the setting requires).
const embeddingSecretBytes = 32

// GenerateEmbeddingSecretKey makes a new embedding secret key, stores it
// and returns it. Tokens signed with the previous key stop working at once.
// Only administrators may, and not while the key is set by its environment
// variable.
func (a *App) GenerateEmbeddingSecretKey(ctx context.Context, actor *sightline.User) (string, error) {
	if err := requireAdmin(actor); err != nil {
		return "", err
	}
	b := make([]byte, embeddingSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", sightline.Internal(fmt.Errorf("generate embedding secret key: %w", err))
	}
	key := hex.EncodeToString(b)
	if err := a.UpdateSettings(ctx, actor, map[string]string{sightline.SettingEmbeddingSecretKey: key}); err != nil {
		return "", err
	}
	return key, nil
}
