// The training-intelligence tools (issue 9), in the order tools/list shows them.
import {
  analyzeActivityTool,
  analyzePerformanceTrendsTool,
  analyzeTrainingLoadTool,
  calculateFitnessScoreTool,
  calculatePersonalizedZonesTool,
  compareActivitiesTool,
  detectPatternsTool,
  generateRecommendationsTool,
  predictPerformanceTool,
} from "./analytics.js";
import { deleteFitnessConfigTool, getFitnessConfig, listFitnessConfigsTool, setFitnessConfig } from "./fitness-config.js";
import { analyzeSleepQualityTool, calculateRecoveryScoreTool, suggestRestDayTool, trackSleepTrendsTool } from "./recovery.js";
import {
  analyzeGoalFeasibilityTool,
  deleteGoalTool,
  listGoalsTool,
  listInsightsTool,
  setGoalTool,
  suggestGoalsTool,
  trackProgressTool,
} from "./goals.js";
import { getFoodDetailsTool, getWeatherForActivityTool, searchFoodTool } from "./data-services.js";
import { calculateDailyNutritionTool } from "./nutrition.js";
import type { McpTool } from "./tool.js";

export const TRAINING_TOOLS: McpTool[] = [
  analyzeTrainingLoadTool,
  analyzeActivityTool,
  compareActivitiesTool,
  calculateFitnessScoreTool,
  detectPatternsTool,
  analyzePerformanceTrendsTool,
  predictPerformanceTool,
  calculatePersonalizedZonesTool,
  generateRecommendationsTool,
  analyzeSleepQualityTool,
  trackSleepTrendsTool,
  calculateRecoveryScoreTool,
  suggestRestDayTool,
  setGoalTool,
  listGoalsTool,
  deleteGoalTool,
  trackProgressTool,
  suggestGoalsTool,
  analyzeGoalFeasibilityTool,
  listInsightsTool,
  calculateDailyNutritionTool,
  searchFoodTool,
  getFoodDetailsTool,
  getWeatherForActivityTool,
  getFitnessConfig,
  setFitnessConfig,
  listFitnessConfigsTool,
  deleteFitnessConfigTool,
];
