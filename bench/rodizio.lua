-- wrk hook for the memory reading: ask the given paths in turn, and stop after N responses.
--   wrk -t1 -c2 -d600s -s bench/rodizio.lua URL -- N /caminho /outro ...
local limite, caminhos, i, feitas = 0, {}, 0, 0

init = function(args)
  limite = tonumber(args[1])
  for k = 2, #args do caminhos[#caminhos + 1] = args[k] end
end

request = function()
  i = i % #caminhos + 1
  return wrk.format("GET", caminhos[i])
end

response = function(status, headers, body)
  feitas = feitas + 1
  if feitas >= limite then wrk.thread:stop() end
end
