-- wrk hook for the memory reading: ask the given paths in turn.
--   wrk -t1 -c2 -d5s -s bench/rodizio.lua URL -- /caminho /outro ...
local caminhos, i = {}, 0

init = function(args)
  for k = 1, #args do caminhos[#caminhos + 1] = args[k] end
end

request = function()
  i = i % #caminhos + 1
  return wrk.format("GET", caminhos[i])
end
