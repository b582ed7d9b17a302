// Command cybernorms validates incident documents and checks them against
// international cyber norms.
//
//	cybernorms validate FILE…|-     check documents against the incident schema
//	cybernorms schema [NAME]        print a JSON Schema (incident)
//
// Run `cybernorms help COMMAND` for the flags of a command.
//
// Exit status: 0 when all went well; 1 when a --fail-on verdict was found;
// 2 for bad input (an invalid, unreadable or missing document), bad rules or
// bad usage.
//
// # For contributors
//
// Start with main.go: the root command, the exit statuses ([exitError]) and
// [register], by which each command adds itself from its own file
// (validate.go, schema.go, …). input.go reads the inputs every command takes
// (FILE… or - for stdin; .ndjson and .jsonl hold one document per line) as a
// stream of records in input order.
package main
