// Renders MetricTemplate queries with Go's own text/template, set up the way Flagger
// v1.44.0 sets it up for queries (missingkey=error, one function per model field, nil
// data), so the TypeScript interpreter can be compared with the real thing. Standard
// library only: it builds in a second with `go build` and needs no module download.
//
// stdin: a JSON array of {template, model}; stdout: a JSON array of {out} or {err}.
package main

import (
	"encoding/json"
	"os"
	"strings"
	"text/template"
)

type model struct {
	Name      string            `json:"name"`
	Namespace string            `json:"namespace"`
	Target    string            `json:"target"`
	Service   string            `json:"service"`
	Ingress   string            `json:"ingress"`
	Route     string            `json:"route"`
	Interval  string            `json:"interval"`
	Variables map[string]string `json:"variables"`
}

type input struct {
	Template string `json:"template"`
	Model    model  `json:"model"`
}

type result struct {
	Out *string `json:"out,omitempty"`
	Err *string `json:"err,omitempty"`
}

func funcs(m model) template.FuncMap {
	str := func(s string) func() string { return func() string { return s } }
	return template.FuncMap{
		"name":      str(m.Name),
		"namespace": str(m.Namespace),
		"target":    str(m.Target),
		"service":   str(m.Service),
		"ingress":   str(m.Ingress),
		"route":     str(m.Route),
		"interval":  str(m.Interval),
		"variables": func() map[string]string { return m.Variables },
	}
}

func render(in input) result {
	t, err := template.New("tmpl").Option("missingkey=error").Funcs(funcs(in.Model)).Parse(in.Template)
	if err == nil {
		var b strings.Builder
		if err = t.Execute(&b, nil); err == nil {
			s := b.String()
			return result{Out: &s}
		}
	}
	msg := err.Error()
	return result{Err: &msg}
}

func main() {
	var ins []input
	if err := json.NewDecoder(os.Stdin).Decode(&ins); err != nil {
		panic(err)
	}
	outs := make([]result, 0, len(ins))
	for _, in := range ins {
		outs = append(outs, render(in))
	}
	if err := json.NewEncoder(os.Stdout).Encode(outs); err != nil {
		panic(err)
	}
}
