#include "io/column_choice.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/messages.h"
#include "core/text.h"

namespace epil::io {

namespace {

class ChosenWriter : public TableWriter {
 public:
  ChosenWriter(std::unique_ptr<TableWriter> inner, size_t n_added, AddedChoice choice)
      : inner_(std::move(inner)), n_added_(n_added), choice_(std::move(choice)) {}

  bool header(const std::vector<std::string>& cells) override {
    const size_t added_from = cells.size() - std::min(cells.size(), n_added_);
    std::vector<std::string> out(cells.begin(), cells.begin() + added_from);
    for (size_t k : choice_) out.push_back(cells[added_from + k]);
    return inner_->header(out);
  }
  bool row(const std::vector<std::string_view>& cells, size_t added_from,
           std::string_view outcome) override {
    return inner_->row(chosen(cells, added_from), added_from, outcome);
  }
  void input_formats(const std::vector<CellFormat>& formats) override {
    inner_->input_formats(formats);
  }
  bool typed_row(const std::vector<std::string_view>& cells, const std::vector<uint16_t>& formats,
                 size_t added_from, std::string_view outcome) override {
    return inner_->typed_row(chosen(cells, added_from), formats, added_from, outcome);
  }
  bool finish(const BatchSummary& summary) override { return inner_->finish(summary); }

 private:
  const std::vector<std::string_view>& chosen(const std::vector<std::string_view>& cells,
                                              size_t added_from) {
    row_.assign(cells.begin(), cells.begin() + std::min(added_from, cells.size()));
    for (size_t k : choice_) {
      row_.push_back(added_from + k < cells.size() ? cells[added_from + k] : std::string_view());
    }
    return row_;
  }

  std::unique_ptr<TableWriter> inner_;
  size_t n_added_;
  AddedChoice choice_;
  std::vector<std::string_view> row_;
};

}  // namespace

std::variant<AddedChoice, Text> choose_added(const Ruleset& rs, const Presentation& p,
                                             std::string_view spec) {
  const std::vector<std::string> keys = added_keys(rs);
  std::vector<std::string> names;
  if (const ColumnPreset* preset = p.column_preset(trim_space(spec))) {
    names = preset->keys;
  } else {
    for (std::string_view rest = spec; !rest.empty();) {
      const size_t comma = rest.find(',');
      const std::string_view name = trim_space(rest.substr(0, comma));
      if (!name.empty()) names.emplace_back(name);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  AddedChoice choice;
  for (const std::string& name : names) {
    const auto at = std::find(keys.begin(), keys.end(), name);
    if (at == keys.end()) {
      std::string presets;
      for (const auto& q : p.column_presets) presets += (presets.empty() ? "" : ", ") + q.name;
      return message(Msg::kColumnsUnknown, name, fmt::format("{}", fmt::join(keys, ", ")),
                     presets.empty() ? std::string("-") : presets);
    }
    const size_t k = static_cast<size_t>(at - keys.begin());
    if (std::find(choice.begin(), choice.end(), k) == choice.end()) choice.push_back(k);
  }
  if (choice.empty()) {
    return message(Msg::kColumnsUnknown, std::string(spec),
                   fmt::format("{}", fmt::join(keys, ", ")), "-");
  }
  return choice;
}

std::unique_ptr<TableWriter> write_chosen(std::unique_ptr<TableWriter> inner, size_t n_added,
                                          AddedChoice choice) {
  return std::make_unique<ChosenWriter>(std::move(inner), n_added, std::move(choice));
}

}  // namespace epil::io
