package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
)

// A flash is the one-line status a page shows after a form post ("Saved.",
// "The group Sales was created."). It travels in the redirect's address,
// so that any instance can show it, with a signature made with the
// browser's session token: a page shows only the flash this server sent to
// this session. Without it, anyone could send a person a link whose
// "flash" puts words of their choosing ("Sign in again at ...") in the
// page's own status line.

// flashURL is path, with the values in q (which may be nil), carrying msg
// as a signed flash for the request's session.
func flashURL(r *http.Request, path string, q url.Values, msg string) string {
	v := url.Values{}
	for k, vs := range q {
		v[k] = append([]string(nil), vs...)
	}
	if sig := flashSignature(r, msg); sig != "" {
		v.Set("flash", msg)
		v.Set("flash_sig", sig)
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// flashFrom is the request's flash message when its signature is this
// session's, else "".
func flashFrom(r *http.Request) string {
	q := r.URL.Query()
	msg, sig := q.Get("flash"), q.Get("flash_sig")
	want := flashSignature(r, msg)
	if msg == "" || want == "" || !hmac.Equal([]byte(sig), []byte(want)) {
		return ""
	}
	return msg
}

// flashSignature signs msg with the request's session token, or is ""
// without a session.
func flashSignature(r *http.Request, msg string) string {
	token, _ := r.Context().Value(keyToken).(string)
	if token == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("flash\x00" + msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// seeOther redirects to path with a flash message, after a form post.
func seeOther(w http.ResponseWriter, r *http.Request, path, flash string) {
	http.Redirect(w, r, flashURL(r, path, nil, flash), http.StatusSeeOther)
}
