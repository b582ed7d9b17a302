package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(&out))
	assert.Equal(t, `health-pledge/no-disruption: indeterminate
  unknown facts decide it: incident.actor.relation
  residual: attributable(incident.actor.relation)
  missing:  [incident.actor.relation]
health-pledge/answer-requests: breached
  RU did not answer the request (request r1 from IE) by 2021-06-19
  duty of RU to answer the request (request r1 from IE): due 2021-06-19, overdue
`, out.String())
}
