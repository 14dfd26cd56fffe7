# Turns the numbered schema files of one dialect into a C++ table of
# migrations. Called at build time:
#   cmake -DDIALECT=sqlite -DSCHEMA_DIR=... -DOUTPUT=... -P embed_sql.cmake
file(GLOB files "${SCHEMA_DIR}/*.sql")
list(SORT files)
set(body "")
foreach(path IN LISTS files)
  get_filename_component(name "${path}" NAME_WE)
  string(REGEX MATCH "^[0-9]+" number "${name}")
  math(EXPR version "${number}")
  file(READ "${path}" sql)
  string(APPEND body "    {${version}, \"${name}\", R\"tenure_sql(${sql})tenure_sql\"},\n")
endforeach()
set(content "// Generated from src/store/schema/${DIALECT}/*.sql by cmake/embed_sql.cmake.\n#include \"store/migrations.h\"\n\nnamespace tenure::store {\n\nextern const Migration k_${DIALECT}_migrations[];
extern const size_t k_${DIALECT}_migration_count;
const Migration k_${DIALECT}_migrations[] = {\n${body}};\nconst size_t k_${DIALECT}_migration_count = sizeof(k_${DIALECT}_migrations) / sizeof(Migration);\n\n}  // namespace tenure::store\n")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE "${OUTPUT}" "${content}")
endif()
