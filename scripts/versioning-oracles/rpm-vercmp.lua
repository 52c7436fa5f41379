-- Differential-test oracle for the rpm version scheme, run inside rpm itself:
--   rpm --define 'pairs FILE' --define 'results FILE' --eval '%{lua: dofile("rpm-vercmp.lua")}'
-- Reads records "A\31B" (one a line) from %{pairs} and writes, a line each, the result of rpm's own
-- rpm.vercmp(A, B) (-1, 0 or 1), or "E" when rpm rejects one of the versions, to %{results}.
local input = assert(io.open(rpm.expand("%{pairs}"), "r"))
local output = assert(io.open(rpm.expand("%{results}"), "w"))
for line in input:lines() do
  local a, b = line:match("^([^\31]*)\31(.*)$")
  local ok, r = pcall(rpm.vercmp, a, b)
  output:write(ok and tostring(r) or "E", "\n")
end
input:close()
output:close()
