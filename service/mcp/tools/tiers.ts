// Which tier a tool first becomes available in: tier gating as data. A tier includes every tool of the
// tiers before it in TIERS (free < pro < enterprise). tools/list shows a caller only what its tier may
// call; a call above it is refused with the tier that has it. Every tool must be listed here (the
// catalog refuses to build otherwise), so a new tool is never available by accident.
import type { Tier } from "../../identity/tiers.js";

export const TOOL_TIERS: Readonly<Record<string, Tier>> = Object.freeze({
  whoami: "free",
  get_connection_status: "free",
  list_api_keys: "free",
  get_fitness_config: "free",
  set_fitness_config: "free",
  list_fitness_configs: "free",
  delete_fitness_config: "free",
  analyze_training_load: "free",
  analyze_activity: "free",
  calculate_fitness_score: "free",
  calculate_personalized_zones: "free",
  analyze_sleep_quality: "free",
  calculate_recovery_score: "free",
  suggest_rest_day: "free",
  set_goal: "free",
  list_goals: "free",
  delete_goal: "free",
  track_progress: "free",
  list_insights: "free",
  calculate_daily_nutrition: "free",
  search_food: "free",
  get_food_details: "free",
  compare_activities: "pro",
  detect_patterns: "pro",
  analyze_performance_trends: "pro",
  predict_performance: "pro",
  generate_recommendations: "pro",
  track_sleep_trends: "pro",
  suggest_goals: "pro",
  analyze_goal_feasibility: "pro",
  get_weather_for_activity: "pro",
});
