-- A workout for the Lua 5.4 VM: recursion, closures, tables, metatables, string library
-- (format, gsub/gmatch patterns, rep, byte/char), sorting, iterators, integer/float math,
-- utf8 and string.pack. Deterministic output only.

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib(22)", fib(22))

-- closures and upvalues
local function counter(step)
  local n = 0
  return function() n = n + step; return n end, function() return n end
end
local inc, get = counter(3)
for _ = 1, 10 do inc() end
print("counter", get())
local fns = {}
for i = 1, 5 do fns[i] = function(x) return x * i + i end end
local acc = 0
for i, f in ipairs(fns) do acc = acc + f(i) end
print("closures", acc)

-- tables: array part, hash part, length, insert/remove/concat/unpack
local t = {}
for i = 1, 2000 do t[i] = (i * 7919) % 1009 end
table.sort(t)
print("sorted", t[1], t[2], t[1000], t[#t], #t)
table.sort(t, function(a, b) return a > b end)
print("desc", t[1], t[#t])
local words = {}
for w in ("the quick brown fox jumps over the lazy dog again and again"):gmatch("%a+") do words[#words + 1] = w end
table.sort(words, function(a, b) if #a ~= #b then return #a < #b end return a < b end)
print("words", table.concat(words, ","))
table.insert(words, 1, "FIRST"); table.insert(words, "LAST"); print("removed", table.remove(words, 3), #words, select("#", table.unpack(words)))
local freq = {}
for _, w in ipairs(words) do freq[w] = (freq[w] or 0) + 1 end
local keys = {}
for k in pairs(freq) do keys[#keys + 1] = k end
table.sort(keys)
local parts = {}
for _, k in ipairs(keys) do parts[#parts + 1] = k .. "=" .. freq[k] end
print("freq", table.concat(parts, " "))

-- metatables: vectors with operators, __index inheritance, __tostring, __lt, __len, __call
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
Vec.__add = function(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
Vec.__mul = function(a, k) return Vec.new(a.x * k, a.y * k) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__lt = function(a, b) return a:len2() < b:len2() end
Vec.__tostring = function(v) return string.format("(%g, %g)", v.x, v.y) end
Vec.__len = function(v) return 2 end
function Vec:len2() return self.x * self.x + self.y * self.y end
local v = Vec.new(1, 2) + Vec.new(3.5, -4) * 2
print("vec", tostring(v), #v, v == Vec.new(8, -6), Vec.new(1, 1) < v)
local Animal = {sound = "..."}
Animal.__index = Animal
function Animal.new(name) return setmetatable({name = name}, Animal) end
function Animal:speak() return self.name .. " says " .. self.sound end
local Dog = setmetatable({sound = "woof"}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) return setmetatable(Animal.new(name), Dog) end
print(Animal.new("generic"):speak(), Dog.new("rex"):speak())
local memo = setmetatable({}, {__mode = "k", __call = function(self, n) return n * 2 end, __index = function(t, k) return k .. "?" end})
print("call/index", memo(21), memo.missing)

-- strings
local s = "Hello, World! Lua 5.4 patterns: 2024-01-15, 1999-12-31; emails a@b.com x.y@z.org"
print(s:upper(), s:lower():len(), s:sub(8, 12), s:sub(-5), s:rep(2, "|"):len())
print((s:gsub("%d%d%d%d%-(%d%d)%-(%d%d)", "%2/%1")))
print((s:gsub("(%w+)@(%w+)%.(%a+)", function(u, d, tld) return u:upper() .. " at " .. d .. " dot " .. tld end)))
print(s:find("World"), s:find("%d+"), s:match("(%a+) (%d)%.(%d)"))
local dates = {}
for y, m, d in s:gmatch("(%d+)-(%d+)-(%d+)") do dates[#dates + 1] = string.format("%s.%s.%s", d, m, y) end
print("dates", table.concat(dates, " "))
print(string.format("%5d|%-5d|%05.1f|%e|%g|%x|%X|%o|%q|%s|%c%c", 42, 42, 3.14159, 12345.678, 0.0001, 255, 255, 8, "a\nb\"c", nil, 76, 117))
print(string.format("%10.4s|%-10s|%.3f|%+d|%a", "abcdefg", "left", 2 / 3, 7, 1.0))
local bytes = {s:byte(1, 10)}
print("bytes", table.concat(bytes, ","), string.char(table.unpack(bytes)))
print(("x"):rep(5), ("ab"):reverse(), ("  trim me  "):match("^%s*(.-)%s*$"), ("a,b,,c"):gsub(",", ";"))
local csv = {}
for field in ("one,two,,four,five"):gmatch("([^,]*)") do csv[#csv + 1] = "[" .. field .. "]" end
print("csv", table.concat(csv))
print("frontier", ("THE (quick) fox"):gsub("%f[%a]%a+", function(w) return w:lower() end))
print("balance", ("f(a(b)c) g(d)"):match("%b()"), ("[[x]]"):find("[[]", 1))

-- integer / float arithmetic
print(7 // 2, -7 // 2, 7 % -3, -7 % 3, 7.5 // 2, 2^10, 10 / 4, 3 | 5, 3 & 5, 3 ~ 5, ~0, 1 << 62, 1 << 63, 1 << 64, -1 >> 1)
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, math.tointeger(3.0), math.type(1), math.type(1.0), math.type("1"))
print(math.floor(-3.5), math.ceil(-3.5), math.abs(-2^63), math.fmod(7, -3), math.sqrt(2), math.pi, math.huge, -math.huge)
print(string.format("%.14g %.14g %.14g %.14g", math.sin(1), math.cos(1), math.exp(1), math.log(10)), math.ult(1, -1), 0x7fffffffffffffff, 0xff, 1e300 * 1e10)
print(tostring(1/0), tostring(-1/0), tostring(0/0) == tostring(0/0), 10 == 10.0, "10" + 5, "3" * "4", 10 .. 20, #"héllo")
local h = 0
for i = 1, 20000 do h = (h * 31 + i) & 0xffffffff; h = h ~ (h >> 13) end
print("hash", h)
local fsum = 0.0
for i = 1, 5000 do fsum = fsum + 1 / (i * i) end
print("basel", string.format("%.12f", fsum), string.format("%.12f", math.pi ^ 2 / 6))

-- stateful iterators (coroutines need longjmp, which wasm32-wasi lacks without exception handling)
local function gen(n) local i = 0 return function() i = i + 1; if i <= n then return i * i end end end
local sq = {}
for x in gen(8) do sq[#sq + 1] = x end
print("gen", table.concat(sq, " "))
local function chars(str) return function(st, i) i = i + 1; if i <= #str then return i, str:sub(i, i) end end, nil, 0 end
local out = {}
for i, c in chars("lua!") do out[#out + 1] = c .. i end
print("iter", table.concat(out, "-"), next({}), type(next), rawlen({1, 2, 3}), rawequal("a", "a"))

-- varargs, multiple returns, select, goto
local function stats(...)
  local n = select("#", ...)
  local s, mn, mx = 0, math.huge, -math.huge
  for i = 1, n do local x = select(i, ...); s = s + x; mn = math.min(mn, x); mx = math.max(mx, x) end
  return n, s, mn, mx
end
print("stats", stats(5, 3, 9, -1, 4.5))
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, ":", j, " ")
    ::continue::
  end
end
print()

-- utf8 and string.pack
local u = "añ€😀"
print("utf8", utf8.len(u), #u, table.concat({utf8.codepoint(u, 1, -1)}, ","), utf8.char(72, 228, 8364, 128512))
for p, c in utf8.codes("aé€") do io.write(p, "=", c, " ") end
print()
local packed = string.pack("<i4 I2 d z s1", -2, 65535, 1.5, "zs", "str")
print("pack", #packed, string.unpack("<i4 I2 d z s1", packed))
print(("%02x"):rep(#packed):format(packed:byte(1, -1)))

-- a small object system workload: bank accounts
local Account = {}
Account.__index = Account
function Account.new(b) return setmetatable({balance = b, log = {}}, Account) end
function Account:deposit(v) self.balance = self.balance + v; self.log[#self.log + 1] = v end
local accts = {}
for i = 1, 50 do accts[i] = Account.new(i * 10) end
for r = 1, 40 do for i = 1, 50 do accts[i]:deposit((i * r) % 17 - 8) end end
local total, maxb = 0, -math.huge
for _, a in ipairs(accts) do total = total + a.balance; if a.balance > maxb then maxb = a.balance end end
print("accounts", total, maxb, #accts[7].log)
print("gc", collectgarbage("count") > 0, collectgarbage() == 0)
