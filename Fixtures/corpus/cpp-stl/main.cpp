// C++17 with libc++ (clang-19, no exceptions): containers (map, unordered_map, set, deque,
// list, priority_queue, vector), algorithms, strings and string streams, iostream formatting,
// templates and constexpr, virtual dispatch, smart pointers, lambdas and std::function,
// std::variant/optional, and a small bank-transfer simulation.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <iomanip>
#include <iostream>
#include <list>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <queue>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

struct Lcg {
    uint64_t s;
    uint32_t operator()() { s = s * 6364136223846793005ULL + 1442695040888963407ULL; return uint32_t(s >> 33); }
};

// Templates and constexpr
template <typename T, size_t N> constexpr T sum_array(const std::array<T, N> &a) {
    T s{};
    for (auto v : a) s += v;
    return s;
}
template <int N> struct Fact { static constexpr long long value = N * Fact<N - 1>::value; };
template <> struct Fact<0> { static constexpr long long value = 1; };
template <typename... Ts> std::string join(const Ts &...xs) {
    std::ostringstream os;
    ((os << xs << ' '), ...);
    return os.str();
}
template <typename C> auto stats(const C &c) {
    using T = typename C::value_type;
    auto [mn, mx] = std::minmax_element(c.begin(), c.end());
    double mean = std::accumulate(c.begin(), c.end(), 0.0) / double(c.size());
    return std::make_tuple(T(*mn), T(*mx), mean);
}

// Virtual dispatch
struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const { return "shape"; }
    virtual void grow(double k) = 0;
};
struct Circle : Shape {
    double r;
    explicit Circle(double r) : r(r) {}
    double area() const override { return M_PI * r * r; }
    std::string name() const override { return "circle"; }
    void grow(double k) override { r *= k; }
};
struct Rect : Shape {
    double w, h;
    Rect(double w, double h) : w(w), h(h) {}
    double area() const override { return w * h; }
    std::string name() const override { return "rect"; }
    void grow(double k) override { w *= k; h *= k; }
};
struct Square final : Rect {
    explicit Square(double s) : Rect(s, s) {}
    std::string name() const override { return "square"; }
};

// Visitor over variant
using Value = std::variant<int64_t, double, std::string, std::vector<int>>;
struct Describe {
    std::string operator()(int64_t v) const { return "int:" + std::to_string(v); }
    std::string operator()(double v) const { std::ostringstream o; o << "double:" << std::setprecision(10) << v; return o.str(); }
    std::string operator()(const std::string &s) const { return "str:" + s; }
    std::string operator()(const std::vector<int> &v) const { return "vec:" + std::to_string(v.size()); }
};

std::optional<int> parse_int(std::string_view s) {
    if (s.empty()) return std::nullopt;
    int sign = 1, v = 0;
    size_t i = 0;
    if (s[0] == '-') { sign = -1; i = 1; }
    for (; i < s.size(); i++) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    return sign * v;
}

int main() {
    Lcg rng{42};
    // vector + algorithms
    std::vector<int> v(500);
    std::generate(v.begin(), v.end(), [&] { return int(rng() % 10000) - 5000; });
    std::vector<int> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> stable = v;
    std::stable_sort(stable.begin(), stable.end(), [](int a, int b) { return std::abs(a) % 100 < std::abs(b) % 100; });
    auto [mn, mx, mean] = stats(v);
    std::cout << "vector: min " << mn << " max " << mx << " mean " << std::fixed << std::setprecision(3) << mean << std::defaultfloat << '\n';
    std::cout << "median " << sorted[sorted.size() / 2] << " stable[0..5]";
    for (int i = 0; i < 5; i++) std::cout << ' ' << stable[i];
    std::cout << '\n';
    auto it = std::lower_bound(sorted.begin(), sorted.end(), 0);
    std::cout << "first >= 0 at " << (it - sorted.begin()) << " = " << *it << ", binary_search(1234)=" << std::binary_search(sorted.begin(), sorted.end(), 1234) << '\n';
    std::vector<int> uniq = sorted;
    uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
    std::nth_element(v.begin(), v.begin() + 10, v.end());
    std::cout << "unique " << uniq.size() << " nth(10) " << v[10] << " count_if(even) " << std::count_if(sorted.begin(), sorted.end(), [](int x) { return x % 2 == 0; }) << '\n';
    std::vector<int> pref(10);
    std::partial_sum(sorted.begin(), sorted.begin() + 10, pref.begin());
    std::rotate(pref.begin(), pref.begin() + 3, pref.end());
    std::reverse(pref.begin(), pref.begin() + 4);
    for (int x : pref) std::cout << x << ',';
    std::cout << " inner_product " << std::inner_product(sorted.begin(), sorted.begin() + 50, sorted.rbegin(), 0LL) << '\n';
    std::next_permutation(pref.begin(), pref.end());
    std::cout << "is_sorted " << std::is_sorted(sorted.begin(), sorted.end()) << " max_element " << *std::max_element(pref.begin(), pref.end()) << " gcd " << std::gcd(1071, 462) << " lcm " << std::lcm(21, 6) << '\n';

    // map / unordered_map / set / multimap
    const std::string text = "it was the best of times it was the worst of times it was the age of wisdom it was the age of foolishness";
    std::map<std::string, int> freq;
    std::unordered_map<std::string, int> ufreq;
    std::istringstream in(text);
    for (std::string w; in >> w;) { freq[w]++; ufreq[w] += 2; }
    for (auto &[w, n] : freq) std::cout << w << '=' << n << ' ';
    std::cout << '\n';
    std::vector<std::pair<std::string, int>> byCount(ufreq.begin(), ufreq.end());
    std::sort(byCount.begin(), byCount.end(), [](auto &a, auto &b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    std::cout << "top: " << byCount[0].first << ' ' << byCount[1].first << ' ' << byCount[2].first << " buckets>0 " << (ufreq.bucket_count() > 0) << '\n';
    std::unordered_map<uint64_t, uint64_t> big;
    for (uint64_t i = 0; i < 5000; i++) big[(i * 2654435761u) % 100003] += i;
    uint64_t chk = 0;
    for (uint64_t i = 0; i < 100003; i += 7) { auto f = big.find(i); if (f != big.end()) chk = chk * 31 + f->second; }
    std::cout << "unordered size " << big.size() << " chk " << chk << '\n';
    std::set<int> s1(sorted.begin(), sorted.begin() + 100), s2(sorted.begin() + 50, sorted.begin() + 150);
    std::vector<int> inter, diff;
    std::set_intersection(s1.begin(), s1.end(), s2.begin(), s2.end(), std::back_inserter(inter));
    std::set_difference(s1.begin(), s1.end(), s2.begin(), s2.end(), std::back_inserter(diff));
    std::cout << "sets " << s1.size() << ' ' << s2.size() << " inter " << inter.size() << " diff " << diff.size() << " s1.upper_bound(-4000) " << *s1.upper_bound(-4000) << '\n';
    std::multimap<int, std::string> mm{{3, "c"}, {1, "a"}, {3, "cc"}, {2, "b"}, {1, "aa"}};
    auto range = mm.equal_range(3);
    std::cout << "multimap count(1)=" << mm.count(1) << " range(3):";
    for (auto i = range.first; i != range.second; ++i) std::cout << ' ' << i->second;
    std::cout << '\n';

    // deque, list, priority_queue
    std::deque<int> dq;
    for (int i = 0; i < 20; i++) { if (i % 3) dq.push_back(i); else dq.push_front(-i); }
    dq.pop_front(); dq.pop_back();
    std::list<int> lst(dq.begin(), dq.end());
    lst.sort(); lst.remove_if([](int x) { return x % 4 == 0; }); lst.reverse();
    std::cout << "deque " << dq.front() << ".." << dq.back() << " size " << dq.size() << " list:";
    for (int x : lst) std::cout << ' ' << x;
    std::cout << '\n';
    std::priority_queue<std::pair<int, int>, std::vector<std::pair<int, int>>, std::greater<>> pq;
    for (int i = 0; i < 50; i++) pq.push({int(rng() % 1000), i});
    std::cout << "pq:";
    for (int i = 0; i < 6; i++) { std::cout << ' ' << pq.top().first << '/' << pq.top().second; pq.pop(); }
    std::cout << '\n';

    // strings
    std::string str = "  The Quick Brown Fox  ";
    str.erase(0, str.find_first_not_of(' '));
    str.erase(str.find_last_not_of(' ') + 1);
    std::string upper = str;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    std::cout << '[' << str << "] [" << upper << "] find(Brown)=" << str.find("Brown") << " rfind(o)=" << str.rfind('o') << " substr=" << str.substr(4, 5) << '\n';
    std::string replaced = str;
    for (size_t p = 0; (p = replaced.find(' ', p)) != std::string::npos; p += 3) replaced.replace(p, 1, "___");
    std::cout << replaced << ' ' << std::to_string(3.25) << ' ' << std::stoi("-42") << ' ' << std::stoll("123456789012") << ' ' << std::stod("2.5e3") << ' ' << std::to_string(-7LL) << '\n';
    std::vector<std::string> parts;
    std::stringstream ss("a,bb,,ccc,dddd");
    for (std::string item; std::getline(ss, item, ',');) parts.push_back(item);
    std::cout << "split " << parts.size() << " lens";
    for (auto &p : parts) std::cout << ' ' << p.size();
    std::cout << " cmp " << (std::string("abc") < std::string("abd")) << ' ' << std::string("b").compare("a") << '\n';
    for (auto sv : {std::string_view("12"), std::string_view("-7"), std::string_view("x1"), std::string_view("")}) {
        auto r = parse_int(sv);
        std::cout << "parse(" << sv << ")=" << (r ? std::to_string(*r) : "none") << ' ';
    }
    std::cout << '\n';

    // iostream formatting
    std::cout << std::setw(10) << 42 << '|' << std::left << std::setw(10) << "left" << '|' << std::right << std::setfill('*') << std::setw(8) << 3.5 << std::setfill(' ') << '|' << '\n';
    std::cout << std::hex << 255 << ' ' << std::showbase << 255 << ' ' << std::oct << 8 << std::dec << std::noshowbase << ' ' << std::scientific << 12345.678 << ' ' << std::fixed << std::setprecision(2) << 2.0 / 3 << std::defaultfloat << std::setprecision(6) << '\n';
    std::cout << std::boolalpha << true << ' ' << false << std::noboolalpha << ' ' << 1e100 << ' ' << 1.0 / 3 << ' ' << -0.0 << ' ' << 123456789.0 << ' ' << 0.1f << '\n';
    char buf[128];
    std::snprintf(buf, sizeof buf, "%08.3f|%-6d|%+d|%x|%llu|%.3e|%g|%s", M_PI, 7, 7, 0xabcU, 18446744073709551615ULL, 6.02e23, 1e-5, "ok");
    std::cout << buf << '\n';

    // templates, constexpr, variadic
    constexpr std::array<int, 5> arr{1, 2, 3, 4, 5};
    static_assert(sum_array(arr) == 15);
    std::cout << "constexpr " << sum_array(arr) << " fact20 " << Fact<20>::value << " join " << join(1, 2.5, "three", 'c') << '\n';

    // virtual dispatch, smart pointers
    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.push_back(std::make_unique<Circle>(1.0));
    shapes.push_back(std::make_unique<Rect>(2.0, 3.5));
    shapes.push_back(std::make_unique<Square>(2.5));
    shapes.push_back(std::make_unique<Circle>(0.25));
    for (auto &s : shapes) s->grow(1.5);
    std::sort(shapes.begin(), shapes.end(), [](auto &a, auto &b) { return a->area() > b->area(); });
    double total = 0;
    for (auto &s : shapes) { std::cout << s->name() << ':' << std::fixed << std::setprecision(4) << s->area() << ' '; total += s->area(); }
    std::cout << "total " << total << std::defaultfloat << std::setprecision(6) << '\n';
    auto shared = std::make_shared<Rect>(1, 2);
    std::weak_ptr<Rect> weak = shared;
    { auto copy = shared; std::cout << "use_count " << shared.use_count() << ' '; }
    std::cout << shared.use_count() << " expired " << weak.expired();
    shared.reset();
    std::cout << ' ' << weak.expired() << '\n';

    // lambdas, std::function, variant/optional
    std::vector<std::function<int(int)>> ops = {[](int x) { return x + 1; }, [](int x) { return x * x; }, [k = 7](int x) { return x % k; }};
    int acc = 3;
    for (int round = 0; round < 4; round++) for (auto &f : ops) acc = f(acc) + round;
    std::cout << "functions " << acc << '\n';
    std::vector<Value> vals{int64_t(-5), 2.718281828459045, std::string("hi"), std::vector<int>{1, 2, 3}};
    for (auto &val : vals) std::cout << std::visit(Describe{}, val) << ' ';
    std::cout << "index " << vals[2].index() << '\n';

    // simulation: transfers between accounts with integer cents
    std::vector<int64_t> accounts(64, 100000);
    for (int i = 0; i < 20000; i++) {
        uint32_t r = rng();
        int from = r % 64, to = (r >> 8) % 64;
        int64_t amount = (r >> 16) % 5000;
        if (accounts[from] >= amount) { accounts[from] -= amount; accounts[to] += amount; }
    }
    auto total_cents = std::accumulate(accounts.begin(), accounts.end(), int64_t(0));
    auto richest = std::max_element(accounts.begin(), accounts.end()) - accounts.begin();
    std::cout << "bank total " << total_cents << " richest " << richest << " with " << accounts[richest] << '\n';
    return 0;
}
