package sightline

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// ParseParameters reads a list of parameter values in the wire format, as
// POST /api/card/{id}/query and dashboard card queries send them:
// [{"id": "plan", "type": "category", "target": ["dimension", ["field", 41, null]], "value": ["Basic"]}].
func ParseParameters(data []byte) ([]Parameter, error) {
	if len(data) > MaxQueryJSONBytes {
		return nil, OverLimit("The parameters are", int64(len(data)), "bytes of JSON", MaxQueryJSONBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeOrdered(dec, 0, MaxJSONDepth)
	if errors.Is(err, errTooDeep) {
		return nil, tooDeep("The parameters nest", MaxJSONDepth)
	}
	if err != nil {
		return nil, Errorf(EINVALID, "The parameters are not valid JSON: %v.", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, Errorf(EINVALID, "The parameters have trailing data after their JSON list.")
	}
	params, err := parseParameters(v)
	if err != nil {
		return nil, err
	}
	if err := checkParameterLimits(params); err != nil {
		return nil, err
	}
	return params, nil
}
