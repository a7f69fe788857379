/* The floor: a bare libyaml event scan of the same bytes, nothing built, nothing kept. */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: yamlscan FILE\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    yaml_parser_t parser;
    yaml_event_t event;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    long events = 0, documents = 0;
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "%s: %s at line %lu\n", argv[1], parser.problem, (unsigned long)parser.problem_mark.line + 1);
            return 1;
        }
        int type = event.type;
        if (type == YAML_DOCUMENT_START_EVENT) documents++;
        yaml_event_delete(&event);
        events++;
        if (type == YAML_STREAM_END_EVENT) break;
    }
    yaml_parser_delete(&parser);
    fclose(f);
    printf("%ld events, %ld documents\n", events, documents);
    return 0;
}
